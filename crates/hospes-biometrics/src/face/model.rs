//! Loading the ONNX models: YuNet as it is, SFace with its block-quantised weights rewritten to f32.
//!
//! OpenCV Zoo publishes SFace with every weight stored as int8 blocks, each block with its own
//! scale and zero point, expanded at run time by `DequantizeLinear` with a `block_size` attribute
//! (ONNX opset 21). tract does not implement blocked dequantisation, and the weights are constants
//! anyway, so the graph is rewritten before tract sees it: every such node becomes an f32
//! initialiser holding `(q - zero_point) × scale`, computed once here.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use tract_onnx::pb::{GraphProto, NodeProto, TensorProto, tensor_proto::DataType};
use tract_onnx::prelude::{DatumType, Framework, InferenceFact, InferenceModelExt, IntoRunnable, TypedRunnableModel};

use super::FaceError;

/// A model ready to run: optimised for one fixed input shape.
pub type Plan = Arc<TypedRunnableModel>;

/// Reads `path`, rewrites blocked `DequantizeLinear` nodes to f32 constants, fixes the input shape
/// and optimises the graph for it.
pub fn load_plan(path: &Path, input_shape: &[usize]) -> Result<Plan, FaceError> {
    let model_error = |reason: String| FaceError::Model { path: path.display().to_string(), reason };
    let bytes =
        std::fs::read(path).map_err(|source| FaceError::ModelFile { path: path.display().to_string(), source })?;
    let onnx = tract_onnx::onnx();
    let mut proto = onnx.proto_model_for_read(&mut bytes.as_slice()).map_err(|error| model_error(error.to_string()))?;
    let graph = proto.graph.as_mut().ok_or_else(|| model_error("the file holds no graph".to_owned()))?;
    dequantise_blocked_weights(graph).map_err(model_error)?;
    drop_unused_inputs(graph);
    let input_fact = InferenceFact::dt_shape(DatumType::F32, input_shape);
    onnx.model_for_proto_model(&proto)
        .and_then(|model| model.with_input_fact(0, input_fact))
        .and_then(|model| model.into_optimized())
        .and_then(|model| model.into_runnable())
        .map_err(|error| model_error(format!("{error:#}")))
}

/// Replaces every `DequantizeLinear` node whose inputs are all initialisers by an f32 initialiser
/// named after its output. Returns how many nodes were replaced.
pub fn dequantise_blocked_weights(graph: &mut GraphProto) -> Result<usize, String> {
    let mut replaced = 0;
    let mut kept_nodes = Vec::with_capacity(graph.node.len());
    let mut consumed_initialisers = HashSet::new();
    let nodes = std::mem::take(&mut graph.node);
    for node in nodes {
        if node.op_type != "DequantizeLinear" {
            kept_nodes.push(node);
            continue;
        }
        let constant_inputs: Option<Vec<&TensorProto>> =
            node.input.iter().map(|name| graph.initializer.iter().find(|tensor| &tensor.name == name)).collect();
        let Some(inputs) = constant_inputs else {
            // Not a weight (an activation is dequantised): leave it to tract.
            kept_nodes.push(node);
            continue;
        };
        let weight = dequantise_node(&node, &inputs).map_err(|reason| format!("node {}: {reason}", node.name))?;
        consumed_initialisers.extend(node.input.iter().cloned());
        graph.initializer.push(weight);
        replaced += 1;
    }
    graph.node = kept_nodes;
    // The int8 tensors, scales and zero points are read by nothing now.
    let still_read: HashSet<&str> = graph.node.iter().flat_map(|node| node.input.iter().map(String::as_str)).collect();
    graph
        .initializer
        .retain(|tensor| !consumed_initialisers.contains(&tensor.name) || still_read.contains(tensor.name.as_str()));
    Ok(replaced)
}

/// Old exporters list every weight among the graph inputs; after the rewrite some of those names
/// are read by nothing and would become spurious model inputs.
fn drop_unused_inputs(graph: &mut GraphProto) {
    let read: HashSet<String> = graph.node.iter().flat_map(|node| node.input.iter().cloned()).collect();
    graph.input.retain(|input| read.contains(&input.name));
}

/// `(q - zero_point) × scale`, where the scale and zero point hold one value per block of
/// `block_size` elements along `axis` (or one per element of `axis` without a block size, or one
/// for the whole tensor when they are scalars).
fn dequantise_node(node: &NodeProto, inputs: &[&TensorProto]) -> Result<TensorProto, String> {
    let [quantised, scale, rest @ ..] = inputs else {
        return Err(format!("{} inputs, expected 2 or 3", inputs.len()));
    };
    let attribute = |name: &str| node.attribute.iter().find(|attribute| attribute.name == name).map(|a| a.i);
    let dims = dims_of(quantised)?;
    let rank = dims.len();
    let raw_axis = attribute("axis").unwrap_or(1);
    let axis = if raw_axis < 0 { raw_axis + rank as i64 } else { raw_axis };
    let values = integers_of(quantised)?;
    let scales = floats_of(scale)?;
    let zero_points = match rest.first() {
        Some(zero_point) => integers_of(zero_point)?,
        None => vec![0; scales.len()],
    };
    if zero_points.len() != scales.len() {
        return Err(format!("{} zero points for {} scales", zero_points.len(), scales.len()));
    }
    let element_count: usize = dims.iter().product();
    if values.len() != element_count {
        return Err(format!("{} values for shape {dims:?}", values.len()));
    }
    let output = if scales.len() == 1 {
        let (scale, zero) = (scales[0], zero_points[0] as f32);
        values.iter().map(|&q| (q as f32 - zero) * scale).collect()
    } else {
        let axis =
            usize::try_from(axis).ok().filter(|&axis| axis < rank).ok_or(format!("axis {raw_axis} out of range"))?;
        let block_size = match attribute("block_size").unwrap_or(0) {
            0 => 1,
            size => usize::try_from(size).map_err(|_| format!("block size {size}"))?,
        };
        // Strides of the weight, and the scale tensor's shape: the weight's with `axis` divided
        // into blocks.
        let mut scale_dims = dims.clone();
        scale_dims[axis] = dims[axis].div_ceil(block_size);
        if scale_dims.iter().product::<usize>() != scales.len() {
            return Err(format!(
                "{} scales do not fit shape {dims:?} in blocks of {block_size} along axis {axis}",
                scales.len()
            ));
        }
        let mut output = Vec::with_capacity(element_count);
        let mut index = vec![0usize; rank];
        for &q in &values {
            let mut scale_index = 0;
            for dim in 0..rank {
                let position = if dim == axis { index[dim] / block_size } else { index[dim] };
                scale_index = scale_index * scale_dims[dim] + position;
            }
            output.push((q as f32 - zero_points[scale_index] as f32) * scales[scale_index]);
            // Advance the multi-index in row-major order.
            for dim in (0..rank).rev() {
                index[dim] += 1;
                if index[dim] < dims[dim] {
                    break;
                }
                index[dim] = 0;
            }
        }
        output
    };
    Ok(TensorProto {
        name: node.output.first().cloned().ok_or("no output")?,
        dims: quantised.dims.clone(),
        data_type: DataType::Float as i32,
        raw_data: output.iter().flat_map(|value: &f32| value.to_le_bytes()).collect(),
        ..TensorProto::default()
    })
}

fn dims_of(tensor: &TensorProto) -> Result<Vec<usize>, String> {
    tensor
        .dims
        .iter()
        .map(|&dim| usize::try_from(dim).map_err(|_| format!("{}: dimension {dim}", tensor.name)))
        .collect()
}

/// The elements of an int8 or uint8 tensor, as stored raw or in `int32_data`.
fn integers_of(tensor: &TensorProto) -> Result<Vec<i32>, String> {
    let signed = match DataType::try_from(tensor.data_type) {
        Ok(DataType::Int8) => true,
        Ok(DataType::Uint8) => false,
        _ => return Err(format!("{}: type {} is not int8 or uint8", tensor.name, tensor.data_type)),
    };
    if tensor.raw_data.is_empty() {
        return Ok(tensor.int32_data.clone());
    }
    Ok(tensor.raw_data.iter().map(|&byte| if signed { i32::from(byte as i8) } else { i32::from(byte) }).collect())
}

/// The elements of an f32 tensor, as stored raw or in `float_data`.
fn floats_of(tensor: &TensorProto) -> Result<Vec<f32>, String> {
    if tensor.data_type != DataType::Float as i32 {
        return Err(format!("{}: type {} is not float", tensor.name, tensor.data_type));
    }
    if tensor.raw_data.is_empty() {
        return Ok(tensor.float_data.clone());
    }
    if !tensor.raw_data.len().is_multiple_of(4) {
        return Err(format!("{}: {} raw bytes are not whole floats", tensor.name, tensor.raw_data.len()));
    }
    Ok(tensor
        .raw_data
        .chunks_exact(4)
        .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::AttributeProto;

    fn int8(name: &str, dims: &[i64], values: &[i8]) -> TensorProto {
        TensorProto {
            name: name.to_owned(),
            dims: dims.to_vec(),
            data_type: DataType::Int8 as i32,
            raw_data: values.iter().map(|&value| value as u8).collect(),
            ..TensorProto::default()
        }
    }

    fn float(name: &str, dims: &[i64], values: &[f32]) -> TensorProto {
        TensorProto {
            name: name.to_owned(),
            dims: dims.to_vec(),
            data_type: DataType::Float as i32,
            float_data: values.to_vec(),
            ..TensorProto::default()
        }
    }

    #[test]
    fn blocks_along_an_axis_use_their_own_scale_and_zero_point() {
        // A 2×4 weight in blocks of 2 along axis 1: four blocks, each with its own scale.
        let mut graph = GraphProto {
            initializer: vec![
                int8("w_q", &[2, 4], &[1, 2, 3, 4, -1, -2, 10, 20]),
                float("w_s", &[2, 2], &[1.0, 0.5, 2.0, 0.25]),
                int8("w_z", &[2, 2], &[0, 1, 0, 10]),
            ],
            node: vec![NodeProto {
                name: "dq".to_owned(),
                op_type: "DequantizeLinear".to_owned(),
                input: vec!["w_q".to_owned(), "w_s".to_owned(), "w_z".to_owned()],
                output: vec!["w".to_owned()],
                attribute: vec![
                    AttributeProto { name: "axis".to_owned(), i: 1, ..AttributeProto::default() },
                    AttributeProto { name: "block_size".to_owned(), i: 2, ..AttributeProto::default() },
                ],
                ..NodeProto::default()
            }],
            ..GraphProto::default()
        };
        assert_eq!(dequantise_blocked_weights(&mut graph), Ok(1));
        assert!(graph.node.is_empty());
        assert_eq!(graph.initializer.len(), 1, "the quantised tensors are gone");
        let weight = &graph.initializer[0];
        assert_eq!((weight.name.as_str(), weight.dims.as_slice()), ("w", [2i64, 4].as_slice()));
        assert_eq!(floats_of(weight), Ok(vec![1.0, 2.0, 1.0, 1.5, -2.0, -4.0, 0.0, 2.5]));
    }

    #[test]
    fn a_dequantised_activation_is_left_alone() {
        let mut graph = GraphProto {
            initializer: vec![float("s", &[], &[0.5])],
            node: vec![NodeProto {
                op_type: "DequantizeLinear".to_owned(),
                input: vec!["activation".to_owned(), "s".to_owned()],
                output: vec!["y".to_owned()],
                ..NodeProto::default()
            }],
            ..GraphProto::default()
        };
        assert_eq!(dequantise_blocked_weights(&mut graph), Ok(0));
        assert_eq!(graph.node.len(), 1);
    }

    #[test]
    fn scales_that_do_not_fit_the_blocks_are_refused() {
        let mut graph = GraphProto {
            initializer: vec![int8("q", &[2, 4], &[0; 8]), float("s", &[3], &[1.0, 1.0, 1.0])],
            node: vec![NodeProto {
                name: "dq".to_owned(),
                op_type: "DequantizeLinear".to_owned(),
                input: vec!["q".to_owned(), "s".to_owned()],
                output: vec!["w".to_owned()],
                attribute: vec![AttributeProto { name: "block_size".to_owned(), i: 2, ..AttributeProto::default() }],
                ..NodeProto::default()
            }],
            ..GraphProto::default()
        };
        let error = dequantise_blocked_weights(&mut graph).unwrap_err();
        assert!(error.contains("do not fit"), "{error}");
    }
}
