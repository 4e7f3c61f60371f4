//! Alignment: the similarity transform (rotation, uniform scale, translation) that best maps the
//! five detected landmarks onto the standard 112×112 template SFace and ArcFace were trained on,
//! and the warp of the image through it.

use image::RgbImage;

/// Side of the aligned face, in pixels.
pub const ALIGNED_SIDE: u32 = 112;

/// Where the eyes, nose tip and mouth corners of an aligned face lie (the ArcFace template, which
/// OpenCV's SFace alignment uses too).
pub const TEMPLATE: [[f32; 2]; 5] =
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

/// `x' = a·x − b·y + tx`, `y' = b·x + a·y + ty`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub a: f32,
    pub b: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Similarity {
    /// The least-squares similarity from `from` to `to` (Umeyama's method without reflection,
    /// which for two dimensions has this closed form). `None` when the source points coincide.
    pub fn estimate(from: &[[f32; 2]], to: &[[f32; 2]]) -> Option<Similarity> {
        let count = from.len().min(to.len());
        if count < 2 {
            return None;
        }
        let n = count as f64;
        let mean = |points: &[[f32; 2]]| {
            let (sx, sy) =
                points[..count].iter().fold((0f64, 0f64), |(sx, sy), p| (sx + f64::from(p[0]), sy + f64::from(p[1])));
            (sx / n, sy / n)
        };
        let (fx, fy) = mean(from);
        let (gx, gy) = mean(to);
        let (mut dot, mut cross, mut spread) = (0f64, 0f64, 0f64);
        for (p, q) in from[..count].iter().zip(&to[..count]) {
            let (px, py) = (f64::from(p[0]) - fx, f64::from(p[1]) - fy);
            let (qx, qy) = (f64::from(q[0]) - gx, f64::from(q[1]) - gy);
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            spread += px * px + py * py;
        }
        if spread <= f64::EPSILON {
            return None;
        }
        let a = dot / spread;
        let b = cross / spread;
        Some(Similarity {
            a: a as f32,
            b: b as f32,
            tx: (gx - (a * fx - b * fy)) as f32,
            ty: (gy - (b * fx + a * fy)) as f32,
        })
    }

    pub fn apply(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        [self.a * x - self.b * y + self.tx, self.b * x + self.a * y + self.ty]
    }

    /// The scale factor (destination pixels per source pixel).
    pub fn scale(&self) -> f32 {
        self.a.hypot(self.b)
    }

    /// The inverse transform; `None` for a degenerate one.
    pub fn inverse(&self) -> Option<Similarity> {
        let norm = self.a * self.a + self.b * self.b;
        if norm <= f32::EPSILON {
            return None;
        }
        let (a, b) = (self.a / norm, -self.b / norm);
        Some(Similarity { a, b, tx: -(a * self.tx - b * self.ty), ty: -(b * self.tx + a * self.ty) })
    }
}

/// The 112×112 aligned face: each output pixel is the mean of a small grid of bilinear samples
/// spread over the source area it covers, so a large face shrunk ten times does not alias.
/// Outside the image is black, as in OpenCV's warp.
pub fn warp_aligned(image: &RgbImage, to_template: &Similarity) -> Option<RgbImage> {
    let inverse = to_template.inverse()?;
    let source_pixels_per_output = 1.0 / to_template.scale();
    let samples = (source_pixels_per_output.ceil() as usize).clamp(1, 8);
    let mut aligned = RgbImage::new(ALIGNED_SIDE, ALIGNED_SIDE);
    for (x, y, pixel) in aligned.enumerate_pixels_mut() {
        let mut sum = [0f32; 3];
        for sy in 0..samples {
            for sx in 0..samples {
                let u = x as f32 + (sx as f32 + 0.5) / samples as f32 - 0.5;
                let v = y as f32 + (sy as f32 + 0.5) / samples as f32 - 0.5;
                let colour = bilinear(image, inverse.apply([u, v]));
                for channel in 0..3 {
                    sum[channel] += colour[channel];
                }
            }
        }
        let count = (samples * samples) as f32;
        pixel.0 = sum.map(|total| (total / count).round().clamp(0.0, 255.0) as u8);
    }
    Some(aligned)
}

fn bilinear(image: &RgbImage, [x, y]: [f32; 2]) -> [f32; 3] {
    let (width, height) = image.dimensions();
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |px: f32, py: f32| -> [f32; 3] {
        if px < 0.0 || py < 0.0 || px >= width as f32 || py >= height as f32 {
            return [0.0; 3];
        }
        image.get_pixel(px as u32, py as u32).0.map(f32::from)
    };
    let (p00, p10, p01, p11) = (at(x0, y0), at(x0 + 1.0, y0), at(x0, y0 + 1.0), at(x0 + 1.0, y0 + 1.0));
    let mut colour = [0f32; 3];
    for channel in 0..3 {
        let top = p00[channel] * (1.0 - fx) + p10[channel] * fx;
        let bottom = p01[channel] * (1.0 - fx) + p11[channel] * fx;
        colour[channel] = top * (1.0 - fy) + bottom * fy;
    }
    colour
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotated_scaled_shifted_template_is_mapped_back_exactly() {
        let (angle, scale): (f32, f32) = (0.3, 2.5);
        let known = Similarity { a: scale * angle.cos(), b: scale * angle.sin(), tx: 40.0, ty: -7.0 };
        let landmarks: Vec<[f32; 2]> = TEMPLATE.iter().map(|&point| known.apply(point)).collect();
        let estimated = Similarity::estimate(&landmarks, &TEMPLATE).unwrap();
        for (landmark, target) in landmarks.iter().zip(TEMPLATE) {
            let mapped = estimated.apply(*landmark);
            assert!((mapped[0] - target[0]).abs() < 1e-3 && (mapped[1] - target[1]).abs() < 1e-3, "{mapped:?}");
        }
        assert!((estimated.scale() - 1.0 / scale).abs() < 1e-4);
    }

    #[test]
    fn coincident_points_have_no_transform() {
        assert_eq!(Similarity::estimate(&[[3.0, 3.0]; 5], &TEMPLATE), None);
    }

    #[test]
    fn the_inverse_undoes_the_transform() {
        let transform = Similarity { a: 0.8, b: -0.6, tx: 5.0, ty: 9.0 };
        let back = transform.inverse().unwrap().apply(transform.apply([12.0, -4.0]));
        assert!((back[0] - 12.0).abs() < 1e-4 && (back[1] + 4.0).abs() < 1e-4);
    }

    #[test]
    fn warping_with_the_identity_keeps_the_image() {
        let image = RgbImage::from_fn(ALIGNED_SIDE, ALIGNED_SIDE, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let identity = Similarity { a: 1.0, b: 0.0, tx: 0.0, ty: 0.0 };
        let warped = warp_aligned(&image, &identity).unwrap();
        assert_eq!(warped.get_pixel(50, 60), image.get_pixel(50, 60));
    }
}
