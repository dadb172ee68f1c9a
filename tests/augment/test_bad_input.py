"""Bad input to every transform: a ValueError/TypeError that names the argument (and the shape
where an image is at fault), raised before any NumPy code runs (issue 13)."""

import numpy as np
import pytest

import whiteboard.augment as A
from whiteboard import tensor

X = np.random.default_rng(0).random((2, 3, 8, 8)).astype(np.float32)

# (constructor or call, exception type, a fragment of the message that names the argument)
BAD_PARAMETERS = {
    "flip p > 1": (lambda: A.RandomHorizontalFlip(p=1.5), ValueError, "p should be"),
    "vflip p < 0": (lambda: A.RandomVerticalFlip(p=-0.1), ValueError, "p should be"),
    "flip p nan": (lambda: A.RandomHorizontalFlip(p=float("nan")), ValueError, "p should be"),
    "flip p str": (lambda: A.RandomHorizontalFlip(p="a"), ValueError, "p should be"),
    "crop size < 0": (lambda: A.RandomCrop(-1), ValueError, "size"),
    "crop size 0": (lambda: A.CenterCrop(0), ValueError, "size"),
    "crop size float": (lambda: A.CenterCrop(3.5), ValueError, "size"),
    "crop size triple": (lambda: A.RandomCrop((2, 2, 2)), ValueError, "size"),
    "crop padding < 0": (lambda: A.RandomCrop(4, padding=-1), ValueError, "padding"),
    "crop padding_mode": (lambda: A.RandomCrop(4, padding_mode="wrap"), ValueError,
                          "padding_mode"),
    "rotation degrees reversed": (lambda: A.RandomRotation((10, -10)), ValueError, "degrees"),
    "rotation degrees < 0": (lambda: A.RandomRotation(-5), ValueError, "degrees"),
    "rotation degrees nan": (lambda: A.RandomRotation(float("nan")), ValueError, "degrees"),
    "rotation degrees triple": (lambda: A.RandomRotation((1, 2, 3)), ValueError, "degrees"),
    "rotation interpolation": (lambda: A.RandomRotation(5, interpolation="bicubic"),
                               ValueError, "interpolation"),
    "rotation fill": (lambda: A.RandomRotation(5, fill="white"), ValueError, "fill"),
    "rotation center": (lambda: A.RandomRotation(5, center=(1,)), ValueError, "center"),
    "affine translate > 1": (lambda: A.RandomAffine(0, translate=(2, 0)), ValueError,
                             "translate"),
    "affine translate < 0": (lambda: A.RandomAffine(0, translate=(-0.1, 0)), ValueError,
                             "translate"),
    "affine scale reversed": (lambda: A.RandomAffine(0, scale=(1.2, 0.8)), ValueError, "scale"),
    "affine scale 0": (lambda: A.RandomAffine(0, scale=(0, 1)), ValueError, "scale"),
    "affine shear reversed": (lambda: A.RandomAffine(0, shear=(5, -5)), ValueError, "shear"),
    "affine shear 3 numbers": (lambda: A.RandomAffine(0, shear=(1, 2, 3)), ValueError, "shear"),
    "affine center": (lambda: A.RandomAffine(0, center=5), ValueError, "center"),
    "resize < 0": (lambda: A.Resize(-3), ValueError, "size"),
    "resize pair < 0": (lambda: A.Resize((3, -3)), ValueError, "size"),
    "resize interpolation": (lambda: A.Resize(4, interpolation="lanczos"), ValueError,
                             "interpolation"),
    "resize antialias": (lambda: A.Resize(4, antialias=True), ValueError, "antialias"),
    "rrc scale reversed": (lambda: A.RandomResizedCrop(4, scale=(1.0, 0.5)), ValueError,
                           "scale"),
    "rrc ratio < 0": (lambda: A.RandomResizedCrop(4, ratio=(-1, 2)), ValueError, "ratio"),
    "rrc ratio 0": (lambda: A.RandomResizedCrop(4, ratio=(0, 2)), ValueError, "ratio"),
    "pad < 0": (lambda: A.Pad(-1), ValueError, "padding"),
    "pad 3 numbers": (lambda: A.Pad((1, 2, 3)), ValueError, "padding"),
    "pad mode": (lambda: A.Pad(1, padding_mode="wrap"), ValueError, "padding_mode"),
    "pad fill": (lambda: A.Pad(1, fill="x"), ValueError, "fill"),
    "fivecrop size": (lambda: A.FiveCrop(0), ValueError, "size"),
    "tencrop size": (lambda: A.TenCrop(-1), ValueError, "size"),
    "jitter brightness < 0": (lambda: A.ColorJitter(brightness=-1), ValueError, "brightness"),
    "jitter contrast reversed": (lambda: A.ColorJitter(contrast=(1.5, 0.5)), ValueError,
                                 "contrast"),
    "jitter saturation < 0 range": (lambda: A.ColorJitter(saturation=(-1, 1)), ValueError,
                                    "saturation"),
    "jitter hue > 0.5": (lambda: A.ColorJitter(hue=0.7), ValueError, "hue"),
    "jitter hue str": (lambda: A.ColorJitter(hue="x"), ValueError, "hue"),
    "grayscale channels": (lambda: A.Grayscale(2), ValueError, "num_output_channels"),
    "random grayscale p": (lambda: A.RandomGrayscale(p=2), ValueError, "p should be"),
    "sharpness < 0": (lambda: A.RandomAdjustSharpness(-1), ValueError, "sharpness_factor"),
    "sharpness p": (lambda: A.RandomAdjustSharpness(2, p=-1), ValueError, "p should be"),
    "blur even kernel": (lambda: A.GaussianBlur(4), ValueError, "kernel_size"),
    "blur kernel 0": (lambda: A.GaussianBlur(0), ValueError, "kernel_size"),
    "blur sigma < 0": (lambda: A.GaussianBlur(3, sigma=-1), ValueError, "sigma"),
    "blur sigma 0": (lambda: A.GaussianBlur(3, sigma=(0, 1)), ValueError, "sigma"),
    "blur sigma reversed": (lambda: A.GaussianBlur(3, sigma=(2, 1)), ValueError, "sigma"),
    "noise sigma < 0": (lambda: A.GaussianNoise(sigma=-1), ValueError, "sigma"),
    "fancy alphastd < 0": (lambda: A.FancyPCA(alphastd=-1), ValueError, "alphastd"),
    "fancy half the eigenpairs": (lambda: A.FancyPCA(np.ones(3)), ValueError, "eigenvectors"),
    "fancy eigenvalue shape": (lambda: A.FancyPCA(np.ones(2), np.eye(3)), ValueError,
                               "eigenvalues"),
    "fancy eigenvalue < 0": (lambda: A.FancyPCA(-np.ones(3), np.eye(3)), ValueError,
                             "eigenvalues"),
    "cutout length 0": (lambda: A.Cutout(0), ValueError, "length"),
    "cutout n_holes 0": (lambda: A.Cutout(4, n_holes=0), ValueError, "n_holes"),
    "erasing p": (lambda: A.RandomErasing(p=2), ValueError, "p should be"),
    "erasing scale reversed": (lambda: A.RandomErasing(scale=(0.5, 0.1)), ValueError, "scale"),
    "erasing scale > 1": (lambda: A.RandomErasing(scale=(0.5, 1.5)), ValueError, "scale"),
    "erasing ratio 0": (lambda: A.RandomErasing(ratio=(0, 1)), ValueError, "ratio"),
    "erasing value": (lambda: A.RandomErasing(value="noise"), ValueError, "value"),
    "mixup alpha 0": (lambda: A.Mixup(alpha=0), ValueError, "alpha"),
    "cutmix num_classes 0": (lambda: A.CutMix(num_classes=0), ValueError, "num_classes"),
    "normalize std 0": (lambda: A.Normalize([0], [0]), ValueError, "std"),
    "normalize lengths": (lambda: A.Normalize([0, 0], [1]), ValueError, "mean and std"),
    "compose empty": (lambda: A.Compose([]), ValueError, "transforms"),
    "compose not callable": (lambda: A.Compose([1]), ValueError, "callable"),
    "random apply p": (lambda: A.RandomApply([A.RandomHorizontalFlip()], p=3), ValueError,
                       "p should be"),
    "random choice p length": (lambda: A.RandomChoice([A.RandomHorizontalFlip()], p=[.5, .5]),
                               ValueError, "p should be"),
    "random choice p < 0": (lambda: A.RandomChoice([A.Pad(0), A.Pad(0)], p=[-1, 2]),
                            ValueError, "p should be"),
    "loader nothing": (lambda: A.AugmentedLoader([], None), ValueError, "transform"),
    "loader not callable": (lambda: A.AugmentedLoader([], 3), ValueError, "transform"),
    "adjust_brightness < 0": (lambda: A.adjust_brightness(X, -1), ValueError,
                              "brightness_factor"),
    "adjust_contrast nan": (lambda: A.adjust_contrast(X, float("nan")), ValueError,
                            "contrast_factor"),
    "adjust_saturation < 0": (lambda: A.adjust_saturation(X, -0.5), ValueError,
                              "saturation_factor"),
    "adjust_hue > 0.5": (lambda: A.adjust_hue(X, 0.6), ValueError, "hue_factor"),
    "adjust per-sample length": (lambda: A.adjust_brightness(X, np.ones(3)), ValueError,
                                 "per-sample"),
    "alexnet crop > image": (lambda: A.alexnet_crop_count(224, 256), ValueError, "crop_size"),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMETERS))
def test_bad_parameter_names_the_argument(case):
    make, exc, fragment = BAD_PARAMETERS[case]
    with pytest.raises(exc, match=fragment):
        make()


ALL_IMAGE_TRANSFORMS = [
    A.RandomHorizontalFlip(), A.RandomVerticalFlip(), A.Pad(1), A.CenterCrop(4), A.RandomCrop(4),
    A.Resize(5), A.RandomResizedCrop(4), A.RandomRotation(10), A.RandomAffine(10),
    A.ColorJitter(0.2, 0.2, 0.2, 0.1), A.Grayscale(), A.RandomGrayscale(),
    A.RandomAdjustSharpness(2), A.GaussianBlur(3), A.GaussianNoise(), A.Cutout(2),
    A.RandomErasing(), A.FancyPCA(np.ones(3), np.eye(3)), A.Normalize([0.5], [0.25]),
    A.Compose([A.RandomHorizontalFlip()]), A.RandomApply([A.RandomVerticalFlip()]),
    A.RandomChoice([A.RandomVerticalFlip(), A.RandomHorizontalFlip()]), A.FiveCrop(4),
    A.TenCrop(4),
]
IDS = [type(t).__name__ for t in ALL_IMAGE_TRANSFORMS]


@pytest.mark.parametrize("t", ALL_IMAGE_TRANSFORMS, ids=IDS)
@pytest.mark.parametrize("shape", [(8, 8), (8,), (1, 1, 3, 8, 8)])
def test_wrong_rank_names_the_shape(t, shape):
    with pytest.raises(ValueError, match=r"CHW \(3-d\) or NCHW \(4-d\).*" +
                       str(shape).replace("(", r"\(").replace(")", r"\)")):
        t(np.zeros(shape, np.float32))


@pytest.mark.parametrize("t", ALL_IMAGE_TRANSFORMS, ids=IDS)
@pytest.mark.parametrize("dtype", [np.uint8, np.int64, bool])
def test_integer_images_are_refused_with_the_dtype(t, dtype):
    with pytest.raises(ValueError, match=f"floating array.*{np.dtype(dtype).name}"):
        t(np.zeros((3, 8, 8), dtype))


@pytest.mark.parametrize("t", ALL_IMAGE_TRANSFORMS, ids=IDS)
def test_non_arrays_are_a_type_error(t):
    with pytest.raises(TypeError, match="NumPy array or a Tensor, got list"):
        t(np.zeros((3, 8, 8)).tolist())


COLOUR = [A.ColorJitter(brightness=0.5), A.Grayscale(), A.RandomGrayscale(p=1),
          A.FancyPCA(np.ones(3), np.eye(3))]


@pytest.mark.parametrize("t", COLOUR, ids=[type(t).__name__ for t in COLOUR])
@pytest.mark.parametrize("channels", [1, 2, 4])
def test_colour_ops_need_three_channels(t, channels):
    x = np.zeros((2, channels, 5, 5), np.float32)
    with pytest.raises(ValueError, match=f"3 channels, got {channels} \\(shape \\(2, {channels}"):
        t(x)
    with pytest.raises(ValueError, match="3 channels"):
        t(tensor(x))


@pytest.mark.parametrize("fn", [A.rgb_to_hsv, A.hsv_to_rgb, A.rgb_to_grayscale,
                                lambda x: A.adjust_contrast(x, 1.0),
                                lambda x: A.adjust_saturation(x, 1.0),
                                lambda x: A.adjust_hue(x, 0.0)])
def test_functional_colour_ops_need_rgb(fn):
    with pytest.raises(ValueError,
                       match=r"RGB array \(\.\.\., 3, H, W\), got shape \(2, 1, 4, 4\)"):
        fn(np.zeros((2, 1, 4, 4), np.float32))


@pytest.mark.parametrize("make", [lambda: A.RandomCrop(10), lambda: A.FiveCrop(10),
                                  lambda: A.TenCrop((9, 4))])
def test_crop_larger_than_the_image_names_both(make):
    with pytest.raises(ValueError, match=r"larger than the input image \(shape \(2, 3, 8, 8\)\)"):
        make()(X)


def test_image_dependent_errors_name_the_shape():
    with pytest.raises(ValueError, match=r"reflect padding.*\(2, 3, 8, 8\)"):
        A.Pad(8, padding_mode="reflect")(X)
    with pytest.raises(ValueError, match=r"kernel_size \(17, 17\).*\(2, 3, 8, 8\)"):
        A.GaussianBlur(17)(X)
    with pytest.raises(ValueError, match=r"2 entries but the image has 3 channels"):
        A.RandomErasing(p=1, value=(1, 2))(X)
    with pytest.raises(ValueError, match=r"2 means for 3 channels \(input shape \(2, 3, 8, 8\)\)"):
        A.Normalize([0, 0], [1, 1])(X)
    with pytest.raises(ValueError, match="no eigenpairs"):
        A.FancyPCA()(X)
    with pytest.raises(ValueError, match=r"FancyPCA.fit images should have 3 channels"):
        A.FancyPCA().fit(X[:, :1])
    with pytest.raises(ValueError, match="changed the image shape"):
        A.RandomApply([A.CenterCrop(4)], p=1.0)(X)


def test_mixing_errors_name_labels_and_shapes():
    y = np.array([0, 1])
    with pytest.raises(ValueError, match=r"different batch sizes: \(2, 3, 8, 8\) and \(3, 3\)"):
        A.Mixup(num_classes=3)(X, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"labels should be in \[0, 3\), got range \[0, 5\]"):
        A.Mixup(num_classes=3)(X, np.array([0, 5]))
    with pytest.raises(ValueError, match=r"images should be NCHW, got shape \(3, 8, 8\)"):
        A.CutMix(num_classes=3)(X[0], y[:1])
    with pytest.raises(ValueError, match=r"class indices \(N,\) or soft targets"):
        A.CutMix(num_classes=3)(X, y.astype(float))
    with pytest.raises(ValueError, match="num_classes is needed"):
        A.Mixup()(X, y)
    with pytest.raises(ValueError, match=r"soft labels have 4 classes but num_classes is 3"):
        A.Mixup(num_classes=3)(X, np.full((2, 4), 0.25))
    with pytest.raises(ValueError, match="floating array"):
        A.Mixup(num_classes=3)(X.astype(np.uint8), y)
