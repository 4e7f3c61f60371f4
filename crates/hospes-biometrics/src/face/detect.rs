//! Face detection with YuNet (OpenCV Zoo, 2023): boxes, scores and five landmarks per face.
//!
//! YuNet is anchor-free: at each stride (8, 16, 32) every cell of the feature map predicts a class
//! score, an objectness score, a box (offset of the centre from the cell, log of width and height)
//! and five landmarks (offsets from the cell), all in units of the stride. The image is scaled into
//! a fixed square input (letterboxed, so the aspect ratio is kept) and the results scaled back.

use image::RgbImage;
use tract_onnx::prelude::{Tensor, tvec};

use super::FaceError;
use super::model::Plan;

/// The strides of YuNet's three output levels, in input pixels.
const STRIDES: [usize; 3] = [8, 16, 32];

/// A face found in an image, in the image's pixel coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Left, top, width and height of the face box.
    pub bounds: [f32; 4],
    /// Right eye, left eye, nose tip, right and left mouth corners (the person's right and left:
    /// the first eye is the one on the image's left).
    pub landmarks: [[f32; 2]; 5],
    /// Confidence, 0 to 1: the geometric mean of the class and objectness scores.
    pub score: f32,
}

impl Detection {
    pub fn area(&self) -> f32 {
        self.bounds[2].max(0.0) * self.bounds[3].max(0.0)
    }

    fn intersection_over_union(&self, other: &Detection) -> f32 {
        let [ax, ay, aw, ah] = self.bounds;
        let [bx, by, bw, bh] = other.bounds;
        let width = ((ax + aw).min(bx + bw) - ax.max(bx)).max(0.0);
        let height = ((ay + ah).min(by + bh) - ay.max(by)).max(0.0);
        let intersection = width * height;
        let union = self.area() + other.area() - intersection;
        if union > 0.0 { intersection / union } else { 0.0 }
    }
}

/// The detector and its settings.
pub struct Detector {
    plan: Plan,
    /// Side of the square input the model runs on (a multiple of 32).
    input_side: usize,
    /// Detections scoring below this are dropped (OpenCV's default for YuNet is 0.9).
    pub score_threshold: f32,
    /// Overlapping detections above this intersection-over-union are one face.
    pub nms_threshold: f32,
}

impl Detector {
    pub fn new(plan: Plan, input_side: usize) -> Self {
        Detector { plan, input_side, score_threshold: 0.9, nms_threshold: 0.3 }
    }

    pub fn input_side(&self) -> usize {
        self.input_side
    }

    /// Every face in `image`, best score first.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, FaceError> {
        let side = self.input_side;
        let (width, height) = image.dimensions();
        let scale = side as f32 / width.max(height) as f32;
        let scaled_width = ((width as f32 * scale).round() as u32).clamp(1, side as u32);
        let scaled_height = ((height as f32 * scale).round() as u32).clamp(1, side as u32);
        // `thumbnail` averages whole source areas: fast, and no aliasing when shrinking a lot.
        let scaled = if (scaled_width, scaled_height) == (width, height) {
            image.clone()
        } else if scaled_width <= width {
            image::imageops::thumbnail(image, scaled_width, scaled_height)
        } else {
            image::imageops::resize(image, scaled_width, scaled_height, image::imageops::FilterType::Triangle)
        };
        // NCHW, BGR, 0–255: what the model was trained on (OpenCV's channel order).
        let mut input = vec![0f32; 3 * side * side];
        for (x, y, pixel) in scaled.enumerate_pixels() {
            let offset = y as usize * side + x as usize;
            let [red, green, blue] = pixel.0;
            input[offset] = f32::from(blue);
            input[side * side + offset] = f32::from(green);
            input[2 * side * side + offset] = f32::from(red);
        }
        let tensor = Tensor::from_shape(&[1, 3, side, side], &input).map_err(inference_error)?;
        let outputs = self.plan.run(tvec![tensor.into()]).map_err(inference_error)?;
        let output = |index: usize| -> Result<&[f32], FaceError> {
            outputs
                .get(index)
                .ok_or_else(|| FaceError::Inference(format!("the detector gave no output {index}")))?
                .try_as_plain_ram()
                .and_then(|view| view.as_slice::<f32>())
                .map_err(inference_error)
        };
        let mut candidates = Vec::new();
        // Outputs come as cls_8, cls_16, cls_32, obj_…, bbox_…, kps_…
        for (level, &stride) in STRIDES.iter().enumerate() {
            let (classes, objectness, boxes, landmarks) =
                (output(level)?, output(3 + level)?, output(6 + level)?, output(9 + level)?);
            let columns = side / stride;
            let cells = columns * (side / stride);
            if classes.len() < cells
                || objectness.len() < cells
                || boxes.len() < 4 * cells
                || landmarks.len() < 10 * cells
            {
                return Err(FaceError::Inference(format!("the detector's stride-{stride} outputs are too short")));
            }
            for cell in 0..cells {
                let score = (classes[cell].clamp(0.0, 1.0) * objectness[cell].clamp(0.0, 1.0)).sqrt();
                if score < self.score_threshold {
                    continue;
                }
                let (column, row) = ((cell % columns) as f32, (cell / columns) as f32);
                let stride = stride as f32;
                let b = &boxes[4 * cell..4 * cell + 4];
                let centre_x = (column + b[0]) * stride;
                let centre_y = (row + b[1]) * stride;
                let box_width = b[2].exp() * stride;
                let box_height = b[3].exp() * stride;
                let k = &landmarks[10 * cell..10 * cell + 10];
                let mut points = [[0f32; 2]; 5];
                for (point, offsets) in points.iter_mut().zip(k.chunks_exact(2)) {
                    *point = [(offsets[0] + column) * stride / scale, (offsets[1] + row) * stride / scale];
                }
                candidates.push(Detection {
                    bounds: [
                        (centre_x - box_width / 2.0) / scale,
                        (centre_y - box_height / 2.0) / scale,
                        box_width / scale,
                        box_height / scale,
                    ],
                    landmarks: points,
                    score,
                });
            }
        }
        Ok(non_maximum_suppression(candidates, self.nms_threshold))
    }
}

/// Keeps the best of every group of overlapping detections, best first.
pub fn non_maximum_suppression(mut candidates: Vec<Detection>, threshold: f32) -> Vec<Detection> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for candidate in candidates {
        if kept.iter().all(|face| face.intersection_over_union(&candidate) <= threshold) {
            kept.push(candidate);
        }
    }
    kept
}

fn inference_error(error: impl std::fmt::Display) -> FaceError {
    FaceError::Inference(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(left: f32, top: f32, side: f32, score: f32) -> Detection {
        Detection { bounds: [left, top, side, side], landmarks: [[0.0; 2]; 5], score }
    }

    #[test]
    fn overlapping_detections_collapse_to_the_best_one() {
        let kept = non_maximum_suppression(
            vec![face(0.0, 0.0, 100.0, 0.92), face(5.0, 5.0, 100.0, 0.97), face(300.0, 0.0, 80.0, 0.95)],
            0.3,
        );
        let scores: Vec<f32> = kept.iter().map(|face| face.score).collect();
        assert_eq!(scores, vec![0.97, 0.95]);
    }

    #[test]
    fn intersection_over_union_of_disjoint_and_equal_boxes() {
        let a = face(0.0, 0.0, 10.0, 1.0);
        assert_eq!(a.intersection_over_union(&face(20.0, 20.0, 10.0, 1.0)), 0.0);
        assert_eq!(a.intersection_over_union(&a), 1.0);
    }
}
