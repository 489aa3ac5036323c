"""Grading tests of homework 7 (the Fashion-MNIST project's rules): each test is one point.

These check what the project must respect, quickly. The project's score is its validation accuracy in the full
run of run_project.py, reported with the project and reproduced by the instructor.
"""

import numpy as np
from run_project import QUICK_EPOCHS, project_splits, train_and_validate

SUBMISSION = "fashion_project.py"
MAX_PARAMETERS = 100_000


def halves(height_axis):
    """Images bright in one half (top, or left) and dark in the other."""
    images = np.full((400, 28, 28, 1), -1.0, dtype=np.float32)
    if height_axis:
        images[:, :14] = 2.0
    else:
        images[:, :, :14] = 2.0
    return images


def test_the_model_fits_the_budget_and_outputs_probabilities(submission):
    model = submission.build_model()
    assert tuple(model.input_shape) == (None, 28, 28, 1)
    assert tuple(model.output_shape) == (None, 10)
    assert model.count_params() <= MAX_PARAMETERS, f"{model.count_params():,} parameters"
    probabilities = model(np.random.default_rng(0).normal(size=(4, 28, 28, 1)).astype("float32")).numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-4)


def test_augmentation_keeps_shape_and_type_and_repeats_with_the_seed(submission):
    images = np.random.default_rng(1).normal(size=(50, 28, 28, 1)).astype(np.float32)
    first = np.asarray(submission.augment(images, np.random.default_rng(7)))
    second = np.asarray(submission.augment(images, np.random.default_rng(7)))
    assert first.shape == images.shape and first.dtype == images.dtype
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, images), "augment returned the images unchanged"


def test_augmentation_mirrors_about_half_the_images_left_to_right(submission):
    augmented = np.asarray(submission.augment(halves(height_axis=False), np.random.default_rng(3)))
    left_brighter = (augmented[:, :, :12].mean(axis=(1, 2, 3)) > augmented[:, :, 16:].mean(axis=(1, 2, 3))).mean()
    assert 0.35 <= left_brighter <= 0.65, f"{1 - left_brighter:.0%} of the images were mirrored"


def test_augmentation_never_turns_a_garment_upside_down(submission):
    augmented = np.asarray(submission.augment(halves(height_axis=True), np.random.default_rng(4)))
    assert (augmented[:, :12].mean(axis=(1, 2, 3)) > augmented[:, 16:].mean(axis=(1, 2, 3))).all()


def test_augmentation_shifts_by_at_most_two_pixels(submission):
    images = np.zeros((200, 28, 28, 1), dtype=np.float32)
    images[:, 14, 13] = 1.0  # one bright pixel, left of centre so a mirror moves it by one column
    augmented = np.asarray(submission.augment(images, np.random.default_rng(5)))
    rows, columns = np.unravel_index(augmented[..., 0].reshape(200, -1).argmax(axis=1), (28, 28))
    assert np.abs(rows - 14).max() <= 2 and np.abs(columns - 13.5).max() <= 2.5
    assert len(set(zip(rows.tolist(), columns.tolist()))) > 5, "the images are hardly ever shifted"


def test_a_short_run_learns_on_the_validation_split(submission):
    x_train, y_train, x_valid, y_valid, _ = project_splits(quick=True)
    run = train_and_validate(submission, x_train, y_train, x_valid, y_valid, epochs=QUICK_EPOCHS, verbose=False)
    assert run.validation_accuracy > 0.3, f"validation accuracy {run.validation_accuracy:.3f} after a short run"
