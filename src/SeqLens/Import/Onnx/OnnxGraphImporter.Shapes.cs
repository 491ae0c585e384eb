using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Import.Onnx;

// Converters of layout ops and arithmetic, and the constant folding of shape subgraphs.
internal sealed partial class OnnxGraphImporter
{
    private void PassThrough(OnnxNode node)
    {
        Value v = Get(node, 0);
        _values[node.Outputs[0]] = v;
    }

    private void Dropout(OnnxNode node)
    {
        RequireUnused(node, 1, "mask");
        PassThrough(node);
    }

    private void Constant(OnnxNode node)
    {
        OnnxConstant c;
        if (node.Attribute("value") is not null)
        {
            c = Wrap(node.GetTensor("value"), $"node '{node.Name}' (Constant)");
        }
        else if (node.Attribute("value_float") is not null)
        {
            c = OnnxConstant.FromFloats([node.GetFloat("value_float")]);
        }
        else if (node.Attribute("value_floats") is not null)
        {
            float[] f = [.. node.GetFloats("value_floats")];
            c = OnnxConstant.FromFloats(f, f.Length);
        }
        else if (node.Attribute("value_int") is not null)
        {
            c = OnnxConstant.FromInts([node.GetInt("value_int")]);
        }
        else if (node.Attribute("value_ints") is not null)
        {
            long[] v = [.. node.GetInts("value_ints")];
            c = OnnxConstant.FromInts(v, v.Length);
        }
        else
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Constant) has no value attribute (value, value_float(s) or value_int(s))");
        }

        Set(node, c);
    }

    private void ConstantOfShape(OnnxNode node)
    {
        long[] shape = GetConst(node, 0, "shape").Ints;
        if (shape.Any(d => d is < 0 or > int.MaxValue))
        {
            throw new NotSupportedException($"shape {string.Join(", ", shape.Select(d => d == OnnxConstant.Batch ? "batch" : d.ToString(CultureInfo.InvariantCulture)))} depends on the batch size or is negative");
        }

        int[] dims = shape.Select(d => (int)d).ToArray();
        int count = dims.Aggregate(1, (p, d) => checked(p * d));
        OnnxConstant fill = node.Attribute("value") is null
            ? OnnxConstant.FromFloats([0f])
            : Wrap(node.GetTensor("value"), $"node '{node.Name}' (ConstantOfShape)");
        Set(node, fill.IsFloat
            ? OnnxConstant.FromFloats(Enumerable.Repeat(fill.Floats[0], count).ToArray(), dims)
            : OnnxConstant.FromInts(Enumerable.Repeat(fill.Ints[0], count).ToArray(), dims));
    }

    private void Shape(OnnxNode node)
    {
        Value v = Get(node, 0);
        long[] shape = v.Node is Node n
            ? [OnnxConstant.Batch, .. n.SampleShape.Select(d => (long)d)]
            : v.Const!.Shape.Select(d => (long)d).ToArray();
        int rank = shape.Length;
        long start = node.GetInt("start", 0);
        long end = node.Attribute("end") is null ? rank : node.GetInt("end");
        int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        long[] result = shape[s..Math.Max(s, e)];
        Set(node, OnnxConstant.FromInts(result, result.Length));
    }

    private void Cast(OnnxNode node)
    {
        Value v = Get(node, 0);
        var to = (OnnxDataType)node.GetInt("to");
        bool toFloat = to is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 or OnnxDataType.BFloat16;
        if (v.Node is Node n)
        {
            Set(node, toFloat ? n : throw new NotSupportedException($"a cast of a computed tensor to {to}; SeqLens computes in float32"));
            return;
        }

        OnnxConstant c = v.Const!;
        if (toFloat)
        {
            Set(node, c.IsFloat ? c : OnnxConstant.FromFloats(c.Floats, c.Shape));
        }
        else if (to == OnnxDataType.Bool)
        {
            Set(node, OnnxConstant.FromInts(c.Ints.Select(x => x != 0 ? 1L : 0L).ToArray(), c.Shape));
        }
        else
        {
            Set(node, c.IsFloat ? OnnxConstant.FromInts(c.Floats.Select(x => (long)x).ToArray(), c.Shape) : c);
        }
    }

    private void Gather(OnnxNode node)
    {
        Value data = Get(node, 0);
        OnnxConstant indices = GetConst(node, 1, "indices");
        OnnxConstant d = data.Const ?? throw new NotSupportedException("Gather on a computed tensor; SeqLens folds Gather on shapes and constants only");
        int axis = Axis(node.GetInt("axis", 0), Math.Max(d.Shape.Length, 1), "axis");
        if (d.Shape.Length == 0)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Gather) gathers from a scalar");
        }

        int size = d.Shape[axis];
        long[] idx = indices.Ints;
        int outer = d.Shape.Take(axis).Aggregate(1, (p, x) => p * x);
        int inner = d.Shape.Skip(axis + 1).Aggregate(1, (p, x) => p * x);
        var flat = new List<int>(outer * idx.Length * inner);
        for (int o = 0; o < outer; o++)
        {
            foreach (long raw in idx)
            {
                long i = raw < 0 ? raw + size : raw;
                if (i < 0 || i >= size)
                {
                    throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Gather): index {raw} is out of range for axis {axis} of size {size}");
                }

                for (int k = 0; k < inner; k++)
                {
                    flat.Add((((o * size) + (int)i) * inner) + k);
                }
            }
        }

        int[] shape = [.. d.Shape.Take(axis), .. indices.Shape, .. d.Shape.Skip(axis + 1)];
        Set(node, d.Take([.. flat], shape));
    }

    private void Unsqueeze(OnnxNode node)
    {
        Value v = Get(node, 0);
        int[] axes = AxesOf(node, 1, "axes");
        int[] inShape = v.Node is Node n ? Full(n) : v.Const!.Shape;
        int rank = inShape.Length + axes.Length;
        var inserted = new bool[rank];
        foreach (int a in axes)
        {
            int axis = Axis(a, rank, "axis");
            if (inserted[axis])
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Unsqueeze) repeats axis {a}");
            }

            inserted[axis] = true;
        }

        var shape = new int[rank];
        int src = 0;
        for (int i = 0; i < rank; i++)
        {
            shape[i] = inserted[i] ? 1 : inShape[src++];
        }

        if (v.Node is Node x)
        {
            if (inserted[0])
            {
                throw new NotSupportedException("Unsqueeze at axis 0 would move the batch axis");
            }

            Set(node, Reshape(node, x, shape[1..]));
        }
        else
        {
            Set(node, v.Const!.WithShape(shape));
        }
    }

    private void Squeeze(OnnxNode node)
    {
        Value v = Get(node, 0);
        int[] axes = AxesOf(node, 1, "axes");
        int[] inShape = v.Node is Node n ? Full(n) : v.Const!.Shape;
        int first = v.Node is null ? 0 : 1;
        var removed = new bool[inShape.Length];
        if (axes.Length == 0)
        {
            for (int i = first; i < inShape.Length; i++)
            {
                removed[i] = inShape[i] == 1;
            }
        }

        foreach (int a in axes)
        {
            int axis = v.Node is null ? Axis(a, inShape.Length, "axis") : NonBatchAxis(a, inShape.Length, "axis");
            if (inShape[axis] != 1)
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Squeeze): axis {a} of {Tensor.FormatShape(inShape)} has size {inShape[axis]}, not 1");
            }

            removed[axis] = true;
        }

        int[] shape = inShape.Where((_, i) => !removed[i]).ToArray();
        if (v.Node is Node x)
        {
            Set(node, Reshape(node, x, shape[1..]));
        }
        else
        {
            Set(node, v.Const!.WithShape(shape));
        }
    }

    private void ReshapeNode(OnnxNode node)
    {
        Value v = Get(node, 0);
        long[] target = GetConst(node, 1, "shape").Ints;
        bool allowZero = node.GetInt("allowzero", 0) != 0;
        if (v.Const is OnnxConstant c)
        {
            Set(node, c.WithShape(ResolveShape(node, target, c.Shape, allowZero)));
            return;
        }

        Node x = v.Node!;
        int[] full = Full(x);
        int sampleSize = x.SampleShape.Aggregate(1, (p, d) => p * d);
        if (target.Length == 0)
        {
            throw new NotSupportedException("Reshape to a scalar would drop the batch axis");
        }

        long[] rest = target[1..];
        for (int i = 0; i < rest.Length; i++)
        {
            if (rest[i] == 0 && !allowZero)
            {
                rest[i] = i + 1 < full.Length ? full[i + 1] : throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Reshape): 0 at position {i + 1} copies a dimension that {Tensor.FormatShape(full)} does not have");
            }
        }

        if (rest.Contains(OnnxConstant.Batch))
        {
            throw new NotSupportedException("the target shape moves the batch size off axis 0");
        }

        bool keepsBatch = target[0] == OnnxConstant.Batch || (target[0] == 0 && !allowZero)
            || (!rest.Contains(-1) && rest.Aggregate(1L, (p, d) => p * d) == sampleSize);
        if (!keepsBatch)
        {
            throw new NotSupportedException($"Reshape of {Tensor.FormatShape(full)} to ({string.Join(", ", target.Select(FormatDim))}) would change the batch axis");
        }

        int[] sample = rest.Select(d => d is >= -1 and <= int.MaxValue && d != 0
            ? (int)d
            : throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Reshape): target dimension {FormatDim(d)} is invalid")).ToArray();
        Set(node, Reshape(node, x, sample));
    }

    private static string FormatDim(long d) => d == OnnxConstant.Batch ? "batch" : d.ToString(CultureInfo.InvariantCulture);

    private int[] ResolveShape(OnnxNode node, long[] target, int[] input, bool allowZero)
    {
        int size = input.Aggregate(1, (p, d) => p * d);
        var shape = new int[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i] == 0 && !allowZero ? (i < input.Length ? input[i] : -2) : target[i];
            if (d == -1 && infer < 0)
            {
                infer = i;
                continue;
            }

            if (d < 0 || d > int.MaxValue)
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Reshape): target dimension {FormatDim(target[i])} at {i} is invalid for {Tensor.FormatShape(input)}");
            }

            shape[i] = (int)d;
            known *= d;
        }

        if (infer >= 0)
        {
            shape[infer] = known > 0 && size % known == 0 ? (int)(size / known) : -1;
        }

        if (shape.Aggregate(1L, (p, d) => p * d) != size || shape.Any(d => d < 0))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Reshape): cannot reshape {Tensor.FormatShape(input)} to ({string.Join(", ", target.Select(FormatDim))})");
        }

        return shape;
    }

    private void Flatten(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        int rank = x.SampleShape.Length + 1;
        long raw = node.GetInt("axis", 1);
        int axis = raw == rank ? rank : Axis(raw, rank, "axis");
        if (axis == 0 || x.SampleShape.Take(axis - 1).Any(d => d != 1))
        {
            throw new NotSupportedException($"Flatten at axis {raw} of {Tensor.FormatShape(Full(x))} would merge the batch axis with others");
        }

        Set(node, axis == 1 ? AddOp(node, new FlattenOp(), [x]) : Reshape(node, x, [x.SampleShape.Skip(axis - 1).Aggregate(1, (p, d) => p * d)]));
    }

    private void Transpose(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        int rank = x.SampleShape.Length + 1;
        int[] perm = Ints(node, "perm", Enumerable.Range(0, rank).Reverse().ToArray());
        if (perm.Length != rank || perm.Order().Where((p, i) => p != i).Any())
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Transpose): perm {Tensor.FormatShape(perm)} is not a permutation of {rank} axes");
        }

        if (perm[0] != 0)
        {
            throw new NotSupportedException($"perm {Tensor.FormatShape(perm)} moves the batch axis");
        }

        Set(node, perm.Where((p, i) => p != i).Any() ? AddOp(node, new TransposeOp(perm), [x]) : x);
    }

    private void Concat(OnnxNode node)
    {
        Value[] inputs = Enumerable.Range(0, node.Inputs.Count).Where(i => node.Inputs[i].Length > 0).Select(i => Get(node, i)).ToArray();
        long raw = node.GetInt("axis");
        if (inputs.All(v => v.Const is not null))
        {
            Set(node, ConcatConstants(node, inputs.Select(v => v.Const!).ToArray(), raw));
            return;
        }

        if (inputs.Any(v => v.Node is null))
        {
            throw new NotSupportedException("Concat of computed tensors with constants");
        }

        Node[] nodes = inputs.Select(v => v.Node!).ToArray();
        int axis = NonBatchAxis(raw, nodes[0].SampleShape.Length + 1, "axis");
        Set(node, nodes.Length == 1 ? nodes[0] : AddOp(node, new ConcatOp(axis), nodes));
    }

    private OnnxConstant ConcatConstants(OnnxNode node, OnnxConstant[] parts, long raw)
    {
        int rank = parts[0].Shape.Length;
        int axis = Axis(raw, rank, "axis");
        foreach (OnnxConstant p in parts)
        {
            if (p.Shape.Length != rank || p.Shape.Where((d, i) => i != axis && d != parts[0].Shape[i]).Any())
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Concat): shapes {string.Join(" and ", parts.Select(q => Tensor.FormatShape(q.Shape)))} differ off axis {axis}");
            }
        }

        int outer = parts[0].Shape.Take(axis).Aggregate(1, (a, b) => a * b);
        int[] shape = (int[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        if (parts.Any(p => p.IsFloat))
        {
            var f = new List<float>();
            for (int o = 0; o < outer; o++)
            {
                foreach (OnnxConstant p in parts)
                {
                    int chunk = p.Count / Math.Max(outer, 1);
                    f.AddRange(p.Floats.AsSpan(o * chunk, chunk).ToArray());
                }
            }

            return OnnxConstant.FromFloats([.. f], shape);
        }

        var v = new List<long>();
        for (int o = 0; o < outer; o++)
        {
            foreach (OnnxConstant p in parts)
            {
                int chunk = p.Count / Math.Max(outer, 1);
                v.AddRange(p.Ints.AsSpan(o * chunk, chunk).ToArray());
            }
        }

        return OnnxConstant.FromInts([.. v], shape);
    }

    private void Pad(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        string mode = node.Attribute("mode") is null ? "constant" : node.GetString("mode");
        if (mode != "constant")
        {
            throw new NotSupportedException($"mode '{mode}'; SeqLens pads with a constant");
        }

        if (Has(node, 3))
        {
            throw new NotSupportedException("the axes input (opset 18)");
        }

        long[] pads = Has(node, 1) ? GetConst(node, 1, "pads").Ints : node.GetInts("pads").ToArray();
        float value = Has(node, 2) ? GetConst(node, 2, "constant value").Floats[0] : node.GetFloat("value", 0f);
        int rank = x.SampleShape.Length + 1;
        if (pads.Length != 2 * rank)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Pad): {pads.Length} pads for rank {rank}; expected {2 * rank}");
        }

        for (int i = 0; i < rank - 1; i++)
        {
            if (pads[i] != 0 || pads[rank + i] != 0)
            {
                throw new NotSupportedException($"padding axis {i} of {Tensor.FormatShape(Full(x))}; SeqLens pads the last (length) axis");
            }
        }

        long left = pads[rank - 1];
        long right = pads[^1];
        int length = x.SampleShape[^1];
        Node y = x;
        if (left < 0 || right < 0)
        {
            // Negative pads crop.
            int start = (int)Math.Max(0, -left);
            int end = length - (int)Math.Max(0, -right);
            y = AddOp(node, new SliceOp(-1, start, end), [y]);
        }

        if (left > 0 || right > 0)
        {
            y = AddOp(node, new PadOp((int)Math.Max(0, left), (int)Math.Max(0, right), value), [y]);
        }

        Set(node, y);
    }

    private void Slice(OnnxNode node)
    {
        Value v = Get(node, 0);
        long[] starts = GetConst(node, 1, "starts").Ints;
        long[] ends = GetConst(node, 2, "ends").Ints;
        int[] shape = v.Node is Node n ? Full(n) : v.Const!.Shape;
        long[] axes = Has(node, 3) ? GetConst(node, 3, "axes").Ints : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        long[] steps = Has(node, 4) ? GetConst(node, 4, "steps").Ints : Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Slice): starts, ends, axes and steps differ in length");
        }

        var first = new int[shape.Length];
        var count = (int[])shape.Clone();
        var step = Enumerable.Repeat(1, shape.Length).ToArray();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = Axis(axes[i], shape.Length, "axis");
            if (steps[i] <= 0)
            {
                throw new NotSupportedException($"step {steps[i]}; SeqLens slices with positive steps");
            }

            if (v.Node is not null && axis == 0)
            {
                if (starts[i] == 0 && ends[i] >= int.MaxValue && steps[i] == 1)
                {
                    continue;
                }

                throw new NotSupportedException("slicing the batch axis");
            }

            int size = shape[axis];
            long s = starts[i] < 0 ? starts[i] + size : starts[i];
            long e = ends[i] < 0 && ends[i] != OnnxConstant.Batch ? ends[i] + size : ends[i];
            s = Math.Clamp(s, 0, size);
            e = Math.Clamp(e, 0, size);
            first[axis] = (int)s;
            step[axis] = (int)Math.Min(steps[i], int.MaxValue);
            count[axis] = e > s ? (int)((e - s + steps[i] - 1) / steps[i]) : 0;
        }

        if (v.Const is OnnxConstant c)
        {
            Set(node, SliceConstant(c, first, count, step));
            return;
        }

        Node y = v.Node!;
        for (int axis = 1; axis < shape.Length; axis++)
        {
            if (count[axis] == 0)
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Slice) selects nothing on axis {axis} of {Tensor.FormatShape(shape)}");
            }

            if (first[axis] != 0 || count[axis] != shape[axis] || step[axis] != 1)
            {
                y = AddOp(node, new SliceOp(axis, first[axis], first[axis] + ((count[axis] - 1) * step[axis]) + 1, step[axis]), [y]);
            }
        }

        Set(node, y);
    }

    private static OnnxConstant SliceConstant(OnnxConstant c, int[] first, int[] count, int[] step)
    {
        int[] strides = c.Strides();
        int total = count.Aggregate(1, (p, d) => p * d);
        var indices = new int[total];
        var idx = new int[count.Length];
        for (int n = 0; n < total; n++)
        {
            int flat = 0;
            for (int d = 0; d < idx.Length; d++)
            {
                flat += (first[d] + (idx[d] * step[d])) * strides[d];
            }

            indices[n] = flat;
            for (int d = idx.Length - 1; d >= 0; d--)
            {
                if (++idx[d] < count[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return c.Take(indices, count);
    }

    private void Reduce(OnnxNode node, bool mean)
    {
        Node x = GetNode(node, 0);
        int rank = x.SampleShape.Length + 1;
        int[] axes = AxesOf(node, 1, "axes");
        bool keepDims = node.GetInt("keepdims", 1) != 0;
        if (axes.Length == 0)
        {
            if (node.GetInt("noop_with_empty_axes", 0) != 0)
            {
                Set(node, x);
                return;
            }

            throw new NotSupportedException("a reduction over all axes includes the batch axis");
        }

        int[] resolved = axes.Select(a => NonBatchAxis(a, rank, "axis")).ToArray();
        Set(node, AddOp(node, mean ? new MeanOp(resolved, keepDims) : new SumOp(resolved, keepDims), [x]));
    }

    // ---- element-wise arithmetic ----------------------------------------------------------------------------------------

    private void Arithmetic(OnnxNode node, char op)
    {
        Value a = Get(node, 0);
        Value b = Get(node, 1);
        if (a.Const is OnnxConstant ca && b.Const is OnnxConstant cb)
        {
            Set(node, FoldArithmetic(node, ca, cb, op));
            return;
        }

        if (a.Node is Node na && b.Node is Node nb)
        {
            Op combined = op switch
            {
                '+' => new AddOp(),
                '-' => new SubOp(),
                '*' => new MulOp(),
                _ => throw new NotSupportedException("Div of two computed tensors; SeqLens divides by constants only"),
            };
            Set(node, AddOp(node, combined, [na, nb]));
            return;
        }

        bool constFirst = a.Const is not null;
        Node x = constFirst ? b.Node! : a.Node!;
        OnnxConstant c = constFirst ? a.Const! : b.Const!;
        int[] full = Full(x);
        int[] cShape = c.Shape;
        while (cShape.Length >= full.Length)
        {
            if (cShape[0] != 1)
            {
                throw new NotSupportedException($"constant of shape {Tensor.FormatShape(c.Shape)} broadcasts over the batch axis of {Tensor.FormatShape(full)}");
            }

            cShape = cShape[1..];
        }

        if (!AffineOp.Broadcasts(cShape, full))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): constant of shape {Tensor.FormatShape(c.Shape)} does not broadcast to {Tensor.FormatShape(full)}");
        }

        if (!constFirst && TryFoldIntoProducer(x, c, cShape, op))
        {
            Set(node, x);
            return;
        }

        var value = new Tensor((float[])c.Floats.Clone(), cShape);
        Tensor one = Initializers.Constant(1f);
        Tensor zero = new([0f]);
        (Tensor scale, Tensor shift) = (op, constFirst) switch
        {
            ('+', _) => (one, value),
            ('-', false) => (one, Negate(value)),
            ('-', true) => (Initializers.Constant(-1f), value),
            ('*', _) => (value, zero),
            ('/', false) => (Reciprocal(node, value), zero),
            _ => throw new NotSupportedException("a constant divided by a computed tensor"),
        };
        Set(node, AddOp(node, new AffineOp(scale, shift), [x]));
    }

    /// <summary>
    /// Folds <c>x ± c</c> into the bias and <c>x · c</c>, <c>x / c</c> into the weights and bias of the Conv1d or Dense that
    /// computes <paramref name="x"/>, when <paramref name="c"/> is a scalar or one value per output channel and nothing
    /// else still to be converted (nor a graph output) reads that layer's output. Exact up to float rounding: (W·x + b)·c = (c·W)·x + c·b.
    /// </summary>
    private bool TryFoldIntoProducer(Node x, OnnxConstant c, int[] cShape, char op)
    {
        (Parameter weight, Parameter? bias, int channels, bool conv) = x.Op switch
        {
            Conv1dOp cv => (cv.Weight, cv.Bias, cv.OutChannels, true),
            DenseOp d => (d.Weight, d.Bias, d.OutFeatures, false),
            _ => (null!, null, 0, false),
        };
        if (channels == 0 || (op is '+' or '-' && bias is null))
        {
            return false;
        }

        int count = cShape.Aggregate(1, (p, d) => p * d);
        bool perChannel = count == 1
            || (conv && x.SampleShape.Length == 2 && cShape.Length == 2 && cShape[0] == channels && cShape[1] == 1)
            || (!conv && x.SampleShape.Length == 1 && cShape.Length == 1 && cShape[0] == channels);
        if (!perChannel)
        {
            return false;
        }

        int readers = _values.Where(kv => kv.Value.Node == x)
            .Sum(kv => (_consumers.TryGetValue(kv.Key, out List<OnnxNode>? users) ? users.Count(u => !_converted.Contains(u)) : 0) + (_graphOutputs.Contains(kv.Key) ? 1 : 0));
        if (readers != 1)
        {
            return false;
        }

        float[] values = c.Floats;
        if (op == '/' && values.Any(v => v == 0f))
        {
            return false;
        }

        int rowLength = weight.Value.Length / channels;
        for (int o = 0; o < channels; o++)
        {
            float v = values[count == 1 ? 0 : o];
            switch (op)
            {
                case '+':
                    bias!.Value.Data[o] += v;
                    break;
                case '-':
                    bias!.Value.Data[o] -= v;
                    break;
                default:
                    float scale = op == '*' ? v : 1f / v;
                    System.Numerics.Tensors.TensorPrimitives.Multiply(weight.Value.Data.AsSpan(o * rowLength, rowLength), scale, weight.Value.Data.AsSpan(o * rowLength, rowLength));
                    if (bias is not null)
                    {
                        bias.Value.Data[o] *= scale;
                    }

                    break;
            }
        }

        return true;
    }

    private static Tensor Negate(Tensor t) => new(t.Data.Select(v => -v).ToArray(), t.Shape);

    private Tensor Reciprocal(OnnxNode node, Tensor t) => t.Data.Any(v => v == 0f)
        ? throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Div) divides by a constant that holds 0")
        : new Tensor(t.Data.Select(v => 1f / v).ToArray(), t.Shape);

    private OnnxConstant FoldArithmetic(OnnxNode node, OnnxConstant a, OnnxConstant b, char op)
    {
        int rank = Math.Max(a.Shape.Length, b.Shape.Length);
        int[] pa = [.. Enumerable.Repeat(1, rank - a.Shape.Length), .. a.Shape];
        int[] pb = [.. Enumerable.Repeat(1, rank - b.Shape.Length), .. b.Shape];
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = pa[i] == pb[i] || pb[i] == 1 ? pa[i] : pa[i] == 1 ? pb[i] : throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): shapes {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)} do not broadcast");
        }

        int total = shape.Aggregate(1, (p, d) => p * d);
        int[] ia = BroadcastIndices(pa, shape, total);
        int[] ib = BroadcastIndices(pb, shape, total);
        if (a.IsFloat || b.IsFloat)
        {
            float[] fa = a.Floats;
            float[] fb = b.Floats;
            var r = new float[total];
            for (int i = 0; i < total; i++)
            {
                float x = fa[ia[i]];
                float y = fb[ib[i]];
                r[i] = op switch { '+' => x + y, '-' => x - y, '*' => x * y, _ => x / y };
            }

            return OnnxConstant.FromFloats(r, shape);
        }

        long[] la = a.Ints;
        long[] lb = b.Ints;
        var ri = new long[total];
        for (int i = 0; i < total; i++)
        {
            long x = la[ia[i]];
            long y = lb[ib[i]];
            if (x == OnnxConstant.Batch || y == OnnxConstant.Batch)
            {
                throw new NotSupportedException("shape arithmetic on the batch size");
            }

            ri[i] = op switch
            {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                _ => y != 0 ? x / y : throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Div): integer division by zero"),
            };
        }

        return OnnxConstant.FromInts(ri, shape);
    }

    private static int[] BroadcastIndices(int[] padded, int[] shape, int total)
    {
        var result = new int[total];
        int[] outStrides = OpShapesStrides(shape);
        int[] inStrides = OpShapesStrides(padded);
        for (int i = 0; i < total; i++)
        {
            int src = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                if (padded[d] != 1)
                {
                    src += i / outStrides[d] % shape[d] * inStrides[d];
                }
            }

            result[i] = src;
        }

        return result;
    }

    private static int[] OpShapesStrides(int[] shape)
    {
        var s = new int[shape.Length];
        int p = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = p;
            p *= shape[i];
        }

        return s;
    }
}
