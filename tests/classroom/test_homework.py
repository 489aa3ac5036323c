"""The coding homework (classroom/homework): every chapter has one, and its tests grade it.

Each homework's grading tests are run here, in this process, on three kinds of submission: the reference solution
(kept in classroom/homework/solutions, instructors only) must pass every test; the starter file students receive
must fail every test; and each typical mistake, the reference with one function replaced by a plausible wrong
version, must fail the test that names it. Nothing trains for more than one short epoch.
"""

import importlib.util
import sys
import types
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
HOMEWORK = REPOSITORY / "classroom" / "homework"
SOLUTIONS = HOMEWORK / "solutions"
CHAPTERS = sorted(path.stem for path in (REPOSITORY / "chapters").glob("0*.ipynb"))


def import_path(path: Path, name: str):
    """Import a file as a module; its folder goes on sys.path, as pytest's own import puts it (project helpers)."""
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


grading = import_path(HOMEWORK / "conftest.py", "homework_conftest")


@dataclass(frozen=True)
class Homework:
    chapter: str

    @property
    def folder(self) -> Path:
        return HOMEWORK / self.chapter

    @cached_property
    def tests(self):
        (path,) = self.folder.glob("test_*.py")
        return import_path(path, f"homework_tests_{self.chapter}")

    @property
    def starter(self) -> Path:
        return self.folder / self.tests.SUBMISSION

    @property
    def solution(self) -> Path:
        return SOLUTIONS / self.chapter / self.tests.SUBMISSION

    def load(self, path):
        return grading.load_submission(path, getattr(self.tests, "ALLOWED_IMPORTS", None))


def grade(tests, submission) -> dict[str, BaseException | None]:
    """Each test of a homework run on a submission: ``None`` where it passed, the exception where it failed."""
    results = {}
    for name, test in vars(tests).items():
        if name.startswith("test_") and callable(test):
            try:
                test(submission)
                results[name] = None
            except Exception as failure:  # a wrong submission may raise anything
                results[name] = failure
    return results


def with_replaced(module, **functions):
    """The reference solution with some of its functions replaced: a submission with one mistake."""
    namespace = types.SimpleNamespace(**{name: getattr(module, name) for name in dir(module)
                                         if not name.startswith("__")})
    for name, function in functions.items():
        setattr(namespace, name, function)
    return namespace


def mistakes_of(chapter, reference):
    """The typical wrong answers of each homework, with the test that must catch each."""
    r = reference
    if chapter == "01_visual_cortex":
        def along_the_bar(size, orientation_degrees, wavelength=6.0, sigma=3.0):
            return r.gabor_kernel(size, orientation_degrees + 90, wavelength, sigma)

        def not_zero_mean(size, orientation_degrees, wavelength=6.0, sigma=3.0):
            kernel = r.gabor_kernel(size, orientation_degrees, wavelength, sigma) + 0.05
            return kernel / np.linalg.norm(kernel)

        def unrectified(kernel, angles_degrees, bar_size=64, bar_width=3.0):
            return -r.tuning_curve(-np.asarray(kernel), angles_degrees, bar_size, bar_width)

        def no_biases(height, width, channels, units, filters, kernel_size):
            return height * width * channels * units, filters * kernel_size * kernel_size * channels

        return [("grating along the bar", dict(gabor_kernel=along_the_bar),
                 "test_each_cell_prefers_the_orientation_it_was_built_for"),
                ("kernel not zero mean", dict(gabor_kernel=not_zero_mean),
                 "test_the_kernel_has_the_shape_zero_mean_and_unit_norm_asked"),
                ("no ReLU", dict(tuning_curve=unrectified),
                 "test_the_tuning_curve_is_the_strongest_rectified_response"),
                ("biases forgotten", dict(parameter_counts=no_biases), "test_parameter_counts_match_keras")]
    if chapter == "02_convolution":
        def flipped(inputs, kernels, biases, stride=1):
            return r.conv2d(inputs, np.asarray(kernels)[::-1, ::-1], biases, stride)

        def without_biases(inputs, kernels, biases, stride=1):
            return r.conv2d(inputs, kernels, np.zeros_like(np.asarray(biases)), stride)

        def stride_ignored(inputs, kernels, biases, stride=1):
            return r.conv2d(inputs, kernels, biases, 1)

        def one_bias_per_weight(kernel_size, in_channels, filters):
            return 2 * filters * kernel_size * kernel_size * in_channels

        def input_size(batch, height, width, kernel_size, filters, stride=1, bytes_per_value=4):
            return batch * height * width * filters * bytes_per_value

        return [("a true convolution (flipped kernel)", dict(conv2d=flipped),
                 "test_one_channel_one_filter_equals_tensorflow"),
                ("biases forgotten", dict(conv2d=without_biases),
                 "test_kernels_span_every_input_channel_and_each_filter_gives_a_map"),
                ("stride ignored", dict(conv2d=stride_ignored), "test_a_stride_skips_positions_as_tensorflow_does"),
                ("wrong parameter count", dict(conv_parameters=one_bias_per_weight), "test_parameters_match_keras"),
                ("input size for the maps", dict(feature_map_bytes=input_size),
                 "test_feature_map_memory_matches_the_output_keras_computes")]
    if chapter == "03_padding":
        def extra_zero_first(n, kernel_size, stride=1):
            before, after = r.same_padding(n, kernel_size, stride)
            return after, before

        def stride_ignored(n, kernel_size, stride=1):
            return r.same_padding(n, kernel_size, 1)

        def always_zeros(images, kernel_size, stride=1, mode="constant"):
            return r.pad_same(images, kernel_size, stride, "constant")

        return [("the odd zero on top", dict(same_padding=extra_zero_first),
                 "test_an_odd_total_puts_the_extra_zero_after"),
                ("stride ignored", dict(same_padding=stride_ignored),
                 "test_the_total_padding_is_the_least_that_fits_ceil_n_over_stride_windows"),
                ("mode ignored", dict(pad_same=always_zeros), "test_mirror_modes_pad_as_tf_pad_does")]
    if chapter == "04_strides":
        def rounding_up(n, kernel_size, stride=1, padding="valid", dilation=1):
            if padding == "same":
                return r.output_size(n, kernel_size, stride, padding, dilation)
            return -(-(n - dilation * (kernel_size - 1) - 1) // stride) + 1

        def same_as_n(n, kernel_size, stride=1, padding="valid", dilation=1):
            return n if padding == "same" else r.output_size(n, kernel_size, stride, padding, dilation)

        def dilation_ignored(n, kernel_size, stride=1, padding="valid", dilation=1):
            return r.output_size(n, kernel_size, stride, padding, 1)

        def only_the_end(n, kernel_size, stride=1):
            read_up_to = (r.output_size(n, kernel_size, stride) - 1) * stride + kernel_size
            return list(range(read_up_to, n))

        return [("valid rounded up", dict(output_size=rounding_up), "test_valid_output_sizes_match_keras"),
                ("same keeps n at any stride", dict(output_size=same_as_n), "test_same_output_sizes_match_keras"),
                ("dilation ignored", dict(output_size=dilation_ignored), "test_dilated_output_sizes_match_keras"),
                ("the gaps between windows forgotten", dict(ignored_inputs=only_the_end),
                 "test_ignored_inputs_are_those_with_zero_gradient")]
    if chapter == "05_pooling":
        def counting_padding(x, pool_size=2, strides=None, padding="valid"):
            if padding != "same":
                return r.average_pool2d(x, pool_size, strides, padding)
            x = np.asarray(x)
            strides = strides or pool_size
            out = [-(-n // strides) for n in x.shape[1:3]]
            pads = [max((o - 1) * strides + pool_size - n, 0) for o, n in zip(out, x.shape[1:3])]
            padded = np.pad(x, [(0, 0), (pads[0] // 2, pads[0] - pads[0] // 2), (pads[1] // 2, pads[1] - pads[1] // 2),
                                (0, 0)])
            return r.average_pool2d(padded, pool_size, strides, "valid")

        def stride_one(x, pool_size=2, strides=None, padding="valid"):
            return r.average_pool2d(x, pool_size, strides or 1, padding)

        def max_instead(x):
            return np.asarray(x).max(axis=(1, 2))

        return [("padding counted in the mean", dict(average_pool2d=counting_padding),
                 "test_same_pooling_averages_only_the_real_inputs_at_the_border"),
                ("stride defaults to 1", dict(average_pool2d=stride_one),
                 "test_valid_pooling_with_the_default_stride_matches_keras"),
                ("global max instead of mean", dict(global_average_pool=max_instead),
                 "test_global_average_pooling_matches_keras")]
    if chapter == "06_architectures":
        def strides_ignored(layers):
            return 1 + sum(kernel_size - 1 for kernel_size, _ in layers), 1

        def jump_forgotten(layers):
            size, _ = r.receptive_field(layers)
            return size, 1

        def kernels_added(layers):
            return sum(kernel_size for kernel_size, _ in layers), int(np.prod([stride for _, stride in layers]))

        def chapter_6_without_pooling():
            import keras
            return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                                     keras.layers.Conv2D(16, 3, activation="relu"),
                                     keras.layers.Conv2D(16, 3, activation="relu"),
                                     keras.layers.GlobalAveragePooling2D(),
                                     keras.layers.Dense(10, activation="softmax")])

        def too_big():
            import keras
            return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),
                                     keras.layers.Dense(128, activation="relu"),
                                     keras.layers.Dense(10, activation="softmax")])

        return [("strides ignored", dict(receptive_field=strides_ignored),
                 "test_strides_and_pooling_multiply_the_growth_of_the_layers_above"),
                ("jump not tracked", dict(receptive_field=jump_forgotten), "test_the_field_of_chapter_6s_convnet"),
                ("kernel sizes added up", dict(receptive_field=kernels_added),
                 "test_stride_one_stacks_grow_by_kernel_minus_one"),
                ("a 7x7 view", dict(build_model=chapter_6_without_pooling),
                 "test_the_last_spatial_layer_sees_the_whole_image"),
                ("over the budget", dict(build_model=too_big),
                 "test_the_model_classifies_28x28_images_into_10_classes_within_the_budget")]
    if chapter == "07_fashion_mnist":
        def upside_down(images, rng):
            return r.augment(images, rng)[:, ::-1]

        def never_mirrored(images, rng):
            padded = np.pad(images, [(0, 0), (2, 2), (2, 2), (0, 0)], mode="edge")
            shifts = rng.integers(0, 5, size=(len(images), 2))
            return np.stack([padded[index, row:row + 28, column:column + 28]
                             for index, (row, column) in enumerate(shifts)])

        def rolled(images, rng):
            return np.roll(r.augment(images, rng), 8, axis=2)

        def reference_sized():
            import keras
            return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(64, 3, activation="relu"),
                                     keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])

        return [("flips upside down", dict(augment=upside_down), "test_augmentation_never_turns_a_garment_upside_down"),
                ("never mirrors", dict(augment=never_mirrored),
                 "test_augmentation_mirrors_about_half_the_images_left_to_right"),
                ("shifts too far", dict(augment=rolled), "test_augmentation_shifts_by_at_most_two_pixels"),
                ("over the budget", dict(build_model=reference_sized),
                 "test_the_model_fits_the_budget_and_outputs_probabilities")]
    if chapter == "08_what_convnets_learn":
        def every_class(feature_maps, dense_kernel, class_index):
            return np.tensordot(np.asarray(feature_maps), np.asarray(dense_kernel).sum(axis=1), axes=([2], [0]))

        def no_relu(feature_maps, gradients):
            return (np.asarray(feature_maps) * np.asarray(gradients).mean(axis=(0, 1))).sum(axis=-1)

        def summed_gradients(feature_maps, gradients):
            gradients = np.asarray(gradients)
            return r.grad_cam(feature_maps, gradients * gradients.shape[0] * gradients.shape[1])

        def rise_not_drop(predict, image, class_index, patch=6, stride=2, fill=0.0):
            return -r.occlusion_sensitivity(predict, image, class_index, patch, stride, fill)

        def summed_drops(predict, image, class_index, patch=6, stride=2, fill=0.0):
            mean = r.occlusion_sensitivity(predict, image, class_index, patch, stride, fill)
            height, width = np.shape(image)[:2]
            covered = np.zeros((height, width))
            for row in range(0, height - patch + 1, stride):
                for column in range(0, width - patch + 1, stride):
                    covered[row:row + patch, column:column + patch] += 1
            return mean * covered

        return [("every class's weights summed", dict(class_activation_map=every_class),
                 "test_the_class_activation_map_matches_the_chapters"),
                ("no ReLU", dict(grad_cam=no_relu), "test_grad_cam_keeps_only_the_positive_part"),
                ("gradients summed, not averaged", dict(grad_cam=summed_gradients),
                 "test_grad_cam_matches_the_chapters"),
                ("the rise of the probability", dict(occlusion_sensitivity=rise_not_drop),
                 "test_occlusion_matches_the_chapters"),
                ("drops summed, not averaged", dict(occlusion_sensitivity=summed_drops),
                 "test_occlusion_marks_only_the_pixels_under_patches_that_hide_what_the_model_reads")]
    return []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_a_homework_with_a_statement_a_starter_tests_and_a_reference_solution(chapter):
    homework = Homework(chapter)
    assert (homework.folder / "README.md").is_file(), f"{chapter}: no homework statement"
    assert homework.starter.is_file() and homework.solution.is_file()
    assert len([name for name in vars(homework.tests) if name.startswith("test_")]) >= 4


@pytest.fixture(scope="module", params=CHAPTERS)
def homework(request):
    return Homework(request.param)


def test_the_reference_solution_passes_every_test(homework):
    results = grade(homework.tests, homework.load(homework.solution))
    failed = {name: repr(failure)[:300] for name, failure in results.items() if failure is not None}
    assert not failed, f"{homework.chapter}: the reference solution fails {failed}"


def test_the_starter_file_fails_every_test(homework):
    results = grade(homework.tests, homework.load(homework.starter))
    passed = [name for name, failure in results.items() if failure is None]
    assert not passed, f"{homework.chapter}: an untouched starter file passes {passed}"


def test_each_typical_mistake_fails_the_test_that_names_it(homework):
    reference = homework.load(homework.solution)
    mistakes = mistakes_of(homework.chapter, reference)
    assert len(mistakes) >= 3, f"{homework.chapter}: name at least three typical mistakes"
    for description, replaced, catching_test in mistakes:
        try:
            getattr(homework.tests, catching_test)(with_replaced(reference, **replaced))
        except Exception:  # a wrong submission may raise anything
            continue
        pytest.fail(f"{homework.chapter}: {description} passes {catching_test}")
