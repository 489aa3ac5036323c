"""Homework 8, reference solution: a class activation map, Grad-CAM and occlusion sensitivity, from scratch."""

import numpy as np


def class_activation_map(feature_maps, dense_kernel, class_index):
    maps = np.asarray(feature_maps, dtype=np.float64)
    weights_of_class = np.asarray(dense_kernel, dtype=np.float64)[:, class_index]
    return np.tensordot(maps, weights_of_class, axes=([2], [0]))


def grad_cam(feature_maps, gradients):
    maps = np.asarray(feature_maps, dtype=np.float64)
    slopes = np.asarray(gradients, dtype=np.float64)
    channel_weights = slopes.reshape(-1, slopes.shape[-1]).mean(axis=0)  # averaged over the positions
    weighted_sum = (maps * channel_weights).sum(axis=-1)
    return np.where(weighted_sum > 0, weighted_sum, 0.0)


def occlusion_sensitivity(predict, image, class_index, patch=6, stride=2, fill=0.0):
    image = np.asarray(image, dtype=np.float32)
    height, width = image.shape[:2]
    corners = [(row, column) for row in range(0, height - patch + 1, stride)
               for column in range(0, width - patch + 1, stride)]
    copies = np.stack([image] * (len(corners) + 1))
    for number, (row, column) in enumerate(corners, start=1):
        copies[number, row:row + patch, column:column + patch] = fill
    probability = np.asarray(predict(copies))[:, class_index]
    summed, covered = np.zeros((height, width)), np.zeros((height, width))
    for number, (row, column) in enumerate(corners, start=1):
        summed[row:row + patch, column:column + patch] += probability[0] - probability[number]
        covered[row:row + patch, column:column + patch] += 1
    mean_drop = np.zeros((height, width))
    np.divide(summed, covered, out=mean_drop, where=covered > 0)
    return mean_drop


# Grad-CAM and CAM: with global average pooling, the class score is sum_k w_k * mean(A_k) + b, so the derivative
# with respect to one position of channel k is w_k / (height * width) everywhere. Averaging it over the positions
# gives alpha_k = w_k / (height * width), and sum_k alpha_k A_k is the class activation map divided by the area.
# Occlusion's cost: with patch 6 and stride 2 on 28 pixels, 12 positions per axis, 144 predictions (and one for
# the image itself); with patch 4 and stride 1, 25 per axis, 625.
