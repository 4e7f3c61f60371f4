//! Our minutiae matcher: Minutia Cylinder-Code local structures with relaxation-based consolidation,
//! written from the published description (Cappelli, Ferrara, Maltoni, "Minutia Cylinder-Code: a new
//! representation and matching technique for fingerprint recognition", IEEE TPAMI 2010).
//!
//! Each minutia gets a cylinder: a 16×16 grid of cells around it, turned to its direction, times 6
//! direction bins; a cell's bit is set when neighbouring minutiae near that cell have that relative
//! direction. Cylinders are invariant to translation and rotation, so two prints are compared by the
//! similarity of every pair of cylinders (popcounts of 64-bit words), and the best pairs are then
//! checked against each other for geometric consistency (relaxation): a score in [0, 1].

use std::f32::consts::PI;

use super::Minutia;

/// Cylinder radius in pixels at 500 ppi.
const RADIUS: f32 = 70.0;
/// Cells along each side of the cylinder's base.
const SIDE_CELLS: usize = 16;
/// Direction bins.
const DIRECTION_CELLS: usize = 6;
const SIGMA_SPATIAL: f32 = 28.0 / 3.0;
const SIGMA_DIRECTION: f32 = 2.0 * PI / 9.0;
/// A cell's bit is set when the neighbours' contribution exceeds this.
const CONTRIBUTION_THRESHOLD: f32 = 0.01;
/// Cells farther than this outside the minutiae's convex hull are outside the print: invalid.
const HULL_MARGIN: f32 = 50.0;
/// A cylinder needs this share of its disc's cells valid, and this many neighbours, to be used.
const MIN_VALID_SHARE: f32 = 0.75;
const MIN_NEIGHBOURS: usize = 2;
/// Two cylinders are compared only where both are valid on at least this share of the disc.
const MIN_MATCHABLE_SHARE: f32 = 0.6;
/// Minutiae whose directions differ more than this are never paired.
const MAX_DIRECTION_DIFFERENCE: f32 = PI / 2.0;

const CELLS_XY: usize = SIDE_CELLS * SIDE_CELLS;
const WORDS_XY: usize = CELLS_XY / 64;
const WORDS: usize = WORDS_XY * DIRECTION_CELLS;

/// One minutia's local structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cylinder {
    /// Bit `k * 256 + i * 16 + j`: direction bin `k`, cell row `i`, column `j`.
    pub bits: [u64; WORDS],
    /// Which of the 256 base cells lie inside the print.
    pub valid: [u64; WORDS_XY],
    pub valid_count: u32,
    /// Set bits (bits are only ever set in valid cells).
    pub ones: u32,
}

/// Wraps an angle difference into [-π, π).
pub fn angle_difference(a: f32, b: f32) -> f32 {
    let mut difference = (a - b) % (2.0 * PI);
    if difference < -PI {
        difference += 2.0 * PI;
    } else if difference >= PI {
        difference -= 2.0 * PI;
    }
    difference
}

fn convex_hull(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut sorted: Vec<(f32, f32)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(sorted.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &(f32, f32)>> =
            if pass == 0 { Box::new(sorted.iter()) } else { Box::new(sorted.iter().rev()) };
        for point in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], *point) <= 0.0 {
                hull.pop();
            }
            hull.push(*point);
        }
        hull.pop();
    }
    hull
}

/// Whether a point is inside the convex polygon (counter-clockwise) or within `margin` of it.
fn near_hull(hull: &[(f32, f32)], point: (f32, f32), margin: f32) -> bool {
    if hull.len() < 3 {
        return hull
            .iter()
            .any(|vertex| ((vertex.0 - point.0).powi(2) + (vertex.1 - point.1).powi(2)).sqrt() <= margin);
    }
    let mut inside = true;
    let mut nearest = f32::INFINITY;
    for index in 0..hull.len() {
        let a = hull[index];
        let b = hull[(index + 1) % hull.len()];
        let edge = (b.0 - a.0, b.1 - a.1);
        let to_point = (point.0 - a.0, point.1 - a.1);
        if edge.0 * to_point.1 - edge.1 * to_point.0 < 0.0 {
            inside = false;
        }
        let length_squared = edge.0 * edge.0 + edge.1 * edge.1;
        let t = if length_squared > 0.0 {
            ((to_point.0 * edge.0 + to_point.1 * edge.1) / length_squared).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let closest = (a.0 + t * edge.0 - point.0, a.1 + t * edge.1 - point.1);
        nearest = nearest.min((closest.0 * closest.0 + closest.1 * closest.1).sqrt());
    }
    inside || nearest <= margin
}

/// The area of one direction bin under a Gaussian of the direction difference (the paper's integral,
/// evaluated with an erf approximation).
fn direction_weight(difference: f32) -> f32 {
    let bin = 2.0 * PI / DIRECTION_CELLS as f32;
    let scale = 1.0 / (SIGMA_DIRECTION * std::f32::consts::SQRT_2);
    0.5 * (erf((difference + bin / 2.0) * scale) - erf((difference - bin / 2.0) * scale))
}

/// Abramowitz–Stegun 7.1.26 (error below 1.5e-7).
fn erf(x: f32) -> f32 {
    let sign = if x < 0.0 { -1.0 } else { 1.0 };
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let polynomial = t * (0.254_829_6 + t * (-0.284_496_72 + t * (1.421_413_8 + t * (-1.453_152 + t * 1.061_405_4))));
    sign * (1.0 - polynomial * (-x * x).exp())
}

/// Builds the cylinders of a set of minutiae (coordinates at 500 ppi); `None` for minutiae whose
/// cylinder has too few valid cells or neighbours to be trusted.
pub fn cylinders(minutiae: &[Minutia]) -> Vec<Option<Cylinder>> {
    let points: Vec<(f32, f32)> = minutiae.iter().map(|minutia| (minutia.x, minutia.y)).collect();
    let hull = convex_hull(&points);
    let cell_size = 2.0 * RADIUS / SIDE_CELLS as f32;
    let disc_cells = PI * (SIDE_CELLS as f32 / 2.0).powi(2);
    let reach = RADIUS + 3.0 * SIGMA_SPATIAL;
    let spatial_norm = 1.0 / (SIGMA_SPATIAL * (2.0 * PI).sqrt());
    let bin_angles: Vec<f32> =
        (0..DIRECTION_CELLS).map(|k| -PI + (k as f32 + 0.5) * 2.0 * PI / DIRECTION_CELLS as f32).collect();
    minutiae
        .iter()
        .enumerate()
        .map(|(index, centre)| {
            let neighbours: Vec<&Minutia> = minutiae
                .iter()
                .enumerate()
                .filter(|(other, minutia)| {
                    *other != index && ((minutia.x - centre.x).powi(2) + (minutia.y - centre.y).powi(2)).sqrt() <= reach
                })
                .map(|(_, minutia)| minutia)
                .collect();
            if neighbours.len() < MIN_NEIGHBOURS {
                return None;
            }
            let (sin, cos) = centre.angle.sin_cos();
            let direction_differences: Vec<f32> =
                neighbours.iter().map(|neighbour| angle_difference(centre.angle, neighbour.angle)).collect();
            let mut cylinder = Cylinder { bits: [0; WORDS], valid: [0; WORDS_XY], valid_count: 0, ones: 0 };
            for i in 0..SIDE_CELLS {
                for j in 0..SIDE_CELLS {
                    let offset_x = (j as f32 + 0.5 - SIDE_CELLS as f32 / 2.0) * cell_size;
                    let offset_y = (i as f32 + 0.5 - SIDE_CELLS as f32 / 2.0) * cell_size;
                    if (offset_x * offset_x + offset_y * offset_y).sqrt() > RADIUS {
                        continue;
                    }
                    let cell = (centre.x + cos * offset_x - sin * offset_y, centre.y + sin * offset_x + cos * offset_y);
                    if !near_hull(&hull, cell, HULL_MARGIN) {
                        continue;
                    }
                    let xy = i * SIDE_CELLS + j;
                    cylinder.valid[xy / 64] |= 1 << (xy % 64);
                    cylinder.valid_count += 1;
                    let mut contributions = [0.0f32; DIRECTION_CELLS];
                    for (neighbour, difference) in neighbours.iter().zip(&direction_differences) {
                        let distance_squared = (neighbour.x - cell.0).powi(2) + (neighbour.y - cell.1).powi(2);
                        if distance_squared > 9.0 * SIGMA_SPATIAL * SIGMA_SPATIAL {
                            continue;
                        }
                        let spatial = spatial_norm * (-distance_squared / (2.0 * SIGMA_SPATIAL * SIGMA_SPATIAL)).exp();
                        for (k, bin_angle) in bin_angles.iter().enumerate() {
                            contributions[k] += spatial * direction_weight(angle_difference(*bin_angle, *difference));
                        }
                    }
                    for (k, contribution) in contributions.iter().enumerate() {
                        if *contribution > CONTRIBUTION_THRESHOLD {
                            let bit = k * CELLS_XY + xy;
                            cylinder.bits[bit / 64] |= 1 << (bit % 64);
                        }
                    }
                }
            }
            cylinder.ones = cylinder.bits.iter().map(|word| word.count_ones()).sum();
            (cylinder.valid_count as f32 >= MIN_VALID_SHARE * disc_cells).then_some(cylinder)
        })
        .collect()
}

/// Similarity of two cylinders in [0, 1] (0 when not comparable).
pub fn cylinder_similarity(a: &Cylinder, b: &Cylinder) -> f32 {
    if a.valid == b.valid {
        // Most pairs: both cylinders lie wholly inside their prints, so no masking is needed and
        // one popcount per word (not three) does.
        let differ: u32 = a.bits.iter().zip(&b.bits).map(|(x, y)| (x ^ y).count_ones()).sum();
        let norms = (a.ones as f32).sqrt() + (b.ones as f32).sqrt();
        return if norms == 0.0 { 0.0 } else { 1.0 - (differ as f32).sqrt() / norms };
    }
    let disc_cells = PI * (SIDE_CELLS as f32 / 2.0).powi(2);
    let mut both_valid = [0u64; WORDS_XY];
    let mut matchable = 0;
    for (word, both) in both_valid.iter_mut().enumerate() {
        *both = a.valid[word] & b.valid[word];
        matchable += both.count_ones();
    }
    if (matchable as f32) < MIN_MATCHABLE_SHARE * disc_cells {
        return 0.0;
    }
    let (mut count_a, mut count_b, mut differ) = (0u32, 0u32, 0u32);
    for word in 0..WORDS {
        let mask = both_valid[word % WORDS_XY];
        let bits_a = a.bits[word] & mask;
        let bits_b = b.bits[word] & mask;
        count_a += bits_a.count_ones();
        count_b += bits_b.count_ones();
        differ += (bits_a ^ bits_b).count_ones();
    }
    let norms = (count_a as f32).sqrt() + (count_b as f32).sqrt();
    if norms == 0.0 { 0.0 } else { 1.0 - (differ as f32).sqrt() / norms }
}

/// A minutiae set ready to match: minutiae at 500 ppi and their cylinders.
#[derive(Debug, Clone)]
pub struct MccTemplate {
    pub minutiae: Vec<Minutia>,
    pub cylinders: Vec<Option<Cylinder>>,
}

impl MccTemplate {
    pub fn new(minutiae: Vec<Minutia>) -> Self {
        let cylinders = cylinders(&minutiae);
        Self { minutiae, cylinders }
    }

    /// The minutiae with a usable cylinder.
    pub fn usable(&self) -> usize {
        self.cylinders.iter().filter(|cylinder| cylinder.is_some()).count()
    }
}

fn sigmoid(value: f32, mean: f32, slope: f32) -> f32 {
    1.0 / (1.0 + (-slope * (value - mean)).exp())
}

/// Consolidation parameters (the paper's LSS-R, with its values as defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchParameters {
    pub relaxation_rounds: usize,
    pub relaxation_weight: f32,
    /// The score averages this many of the best pairs: from `min_pairs` for prints with few
    /// minutiae to `max_pairs` for many.
    pub min_pairs: f32,
    pub max_pairs: f32,
    /// Distance differences (pixels) at which pair compatibility halves.
    pub distance_tolerance: f32,
    /// Angle differences (radians) at which it halves.
    pub angle_tolerance: f32,
    /// Raw scores are multiplied by this (and capped at 1) so that they spread over [0, 1].
    pub scale: f32,
}

impl Default for MatchParameters {
    fn default() -> Self {
        Self {
            relaxation_rounds: 5,
            relaxation_weight: 0.5,
            min_pairs: 4.0,
            max_pairs: 12.0,
            distance_tolerance: 5.0,
            angle_tolerance: PI / 12.0,
            scale: 16.0,
        }
    }
}

/// atan2 within about 0.01 rad, several times faster than the exact one; tolerances here are 0.26 rad.
fn fast_atan2(y: f32, x: f32) -> f32 {
    let (ax, ay) = (x.abs(), y.abs());
    if ax == 0.0 && ay == 0.0 {
        return 0.0;
    }
    let (ratio, swapped) = if ax >= ay { (ay / ax, false) } else { (ax / ay, true) };
    let squared = ratio * ratio;
    let mut angle = ((-0.046_496_47 * squared + 0.159_314_22) * squared - 0.327_622_76) * squared * ratio + ratio;
    if swapped {
        angle = PI / 2.0 - angle;
    }
    if x < 0.0 {
        angle = PI - angle;
    }
    if y < 0.0 { -angle } else { angle }
}

/// The radial angle of `b` seen from `a`: the direction of the segment a→b relative to a's direction.
fn radial_angle(a: &Minutia, b: &Minutia) -> f32 {
    angle_difference(a.angle, fast_atan2(b.y - a.y, b.x - a.x))
}

/// Compares two templates: a score in [0, 1].
pub fn match_templates(probe: &MccTemplate, candidate: &MccTemplate) -> f32 {
    match_with(probe, candidate, &MatchParameters::default())
}

/// Compares two templates with the given consolidation parameters.
pub fn match_with(probe: &MccTemplate, candidate: &MccTemplate, parameters: &MatchParameters) -> f32 {
    // Local similarities of every comparable pair.
    let mut pairs: Vec<(f32, u16, u16)> = Vec::with_capacity(probe.minutiae.len() * candidate.minutiae.len() / 2);
    for (a, (minutia_a, cylinder_a)) in probe.minutiae.iter().zip(&probe.cylinders).enumerate() {
        let Some(cylinder_a) = cylinder_a else { continue };
        for (b, (minutia_b, cylinder_b)) in candidate.minutiae.iter().zip(&candidate.cylinders).enumerate() {
            let Some(cylinder_b) = cylinder_b else { continue };
            if angle_difference(minutia_a.angle, minutia_b.angle).abs() > MAX_DIRECTION_DIFFERENCE {
                continue;
            }
            let similarity = cylinder_similarity(cylinder_a, cylinder_b);
            if similarity > 0.0 {
                pairs.push((similarity, a as u16, b as u16));
            }
        }
    }
    let usable = probe.usable().min(candidate.usable());
    if usable == 0 || pairs.is_empty() {
        return 0.0;
    }
    // One-to-one pairs, best first.
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut used_a = vec![false; probe.minutiae.len()];
    let mut used_b = vec![false; candidate.minutiae.len()];
    let mut chosen: Vec<(f32, usize, usize)> = Vec::with_capacity(usable);
    for (similarity, a, b) in pairs {
        let (a, b) = (usize::from(a), usize::from(b));
        if used_a[a] || used_b[b] {
            continue;
        }
        used_a[a] = true;
        used_b[b] = true;
        chosen.push((similarity, a, b));
        if chosen.len() == usable {
            break;
        }
    }
    let count = chosen.len();
    let wanted = (parameters.min_pairs
        + (sigmoid(usable as f32, 20.0, 0.4) * (parameters.max_pairs - parameters.min_pairs)).round())
    .max(1.0) as usize;
    if count < 2 {
        return (chosen.first().map_or(0.0, |pair| pair.0) / wanted as f32 * parameters.scale).min(1.0);
    }
    let distance_cut = 3.0 * parameters.distance_tolerance;
    let angle_cut = 3.0 * parameters.angle_tolerance;
    let distance_slope = -8.0 / parameters.distance_tolerance;
    let angle_slope = -30.0 * (PI / 12.0) / parameters.angle_tolerance;
    // Pairwise geometric compatibility.
    let mut compatibility = vec![0.0f32; count * count];
    for t in 0..count {
        let (_, at, bt) = chosen[t];
        let (ma, mb) = (&probe.minutiae[at], &candidate.minutiae[bt]);
        for k in (t + 1)..count {
            let (_, ak, bk) = chosen[k];
            let (na, nb) = (&probe.minutiae[ak], &candidate.minutiae[bk]);
            let distance_a = ((na.x - ma.x).powi(2) + (na.y - ma.y).powi(2)).sqrt();
            let distance_b = ((nb.x - mb.x).powi(2) + (nb.y - mb.y).powi(2)).sqrt();
            let d1 = (distance_a - distance_b).abs();
            if d1 > distance_cut {
                continue;
            }
            // Incompatible pairs are cut early: their compatibility would be ~0 anyway.
            let d2 = angle_difference(angle_difference(ma.angle, na.angle), angle_difference(mb.angle, nb.angle)).abs();
            if d2 > angle_cut {
                continue;
            }
            let d3 = angle_difference(radial_angle(ma, na), radial_angle(mb, nb)).abs();
            if d3 > angle_cut {
                continue;
            }
            let rho = sigmoid(d1, parameters.distance_tolerance, distance_slope)
                * sigmoid(d2, parameters.angle_tolerance, angle_slope)
                * sigmoid(d3, parameters.angle_tolerance, angle_slope);
            compatibility[t * count + k] = rho;
            compatibility[k * count + t] = rho;
        }
    }
    let initial: Vec<f32> = chosen.iter().map(|pair| pair.0).collect();
    let mut lambda = initial.clone();
    let mut next = vec![0.0f32; count];
    for _ in 0..parameters.relaxation_rounds {
        for t in 0..count {
            let support: f32 =
                (0..count).filter(|k| *k != t).map(|k| compatibility[t * count + k] * lambda[k]).sum::<f32>();
            next[t] = parameters.relaxation_weight * lambda[t]
                + (1.0 - parameters.relaxation_weight) * support / (count - 1) as f32;
        }
        std::mem::swap(&mut lambda, &mut next);
    }
    // The most efficient pairs (those the relaxation kept best) make the score.
    let mut efficiency: Vec<(f32, f32)> =
        lambda.iter().zip(&initial).map(|(relaxed, start)| (relaxed / start.max(1e-6), *relaxed)).collect();
    efficiency.sort_by(|x, y| y.0.total_cmp(&x.0));
    let taken = wanted.min(count);
    let raw = efficiency.iter().take(taken).map(|pair| pair.1).sum::<f32>() / wanted as f32;
    (raw * parameters.scale).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::MinutiaKind;

    #[test]
    fn fast_atan2_is_within_a_hundredth_of_a_radian() {
        for step in 0..720 {
            let angle = step as f32 * PI / 360.0;
            for radius in [0.5f32, 7.0, 300.0] {
                let (y, x) = (radius * angle.sin(), radius * angle.cos());
                let error = angle_difference(fast_atan2(y, x), y.atan2(x)).abs();
                assert!(error < 0.01, "atan2({y}, {x}): off by {error}");
            }
        }
    }

    #[test]
    fn angle_differences_wrap_into_half_open_pi() {
        assert!((angle_difference(0.1, 2.0 * PI - 0.1) - 0.2).abs() < 1e-5);
        assert!((angle_difference(-3.0, 3.0) - (2.0 * PI - 6.0)).abs() < 1e-5);
        for step in -20..20 {
            let difference = angle_difference(step as f32, 0.0);
            assert!((-PI..PI).contains(&difference));
        }
    }

    fn ring(count: usize, turn: f32, shift: (f32, f32)) -> Vec<Minutia> {
        // Minutiae on two rings, with directions that vary, turned and shifted as a whole.
        (0..count)
            .map(|index| {
                let along = index as f32 * 2.0 * PI / count as f32;
                let radius = if index % 2 == 0 { 60.0 } else { 110.0 };
                let (x, y) = (200.0 + radius * along.cos(), 200.0 + radius * along.sin());
                let (sin, cos) = turn.sin_cos();
                Minutia {
                    x: cos * (x - 200.0) - sin * (y - 200.0) + 200.0 + shift.0,
                    y: sin * (x - 200.0) + cos * (y - 200.0) + 200.0 + shift.1,
                    angle: angle_difference(along * 3.0 + turn, 0.0),
                    kind: MinutiaKind::RidgeEnding,
                    quality: 1.0,
                }
            })
            .collect()
    }

    #[test]
    fn a_turned_and_shifted_copy_matches_and_another_print_does_not() {
        let original = MccTemplate::new(ring(30, 0.0, (0.0, 0.0)));
        let moved = MccTemplate::new(ring(30, 0.6, (25.0, -15.0)));
        assert!(original.usable() > 20);
        let same = match_templates(&original, &moved);
        let mut other_minutiae = ring(30, 0.0, (0.0, 0.0));
        for (index, minutia) in other_minutiae.iter_mut().enumerate() {
            minutia.angle = angle_difference(minutia.angle + index as f32 * 1.7, 0.0);
        }
        let different = match_templates(&original, &MccTemplate::new(other_minutiae));
        assert!(same > 0.9, "same {same}");
        assert!(different < same / 2.0, "different {different}, same {same}");
    }
}
