using System.Globalization;

namespace SeqLens.IO.Torch;

/// <summary>The allow-list of globals and what REDUCE, BINPERSID and BUILD may do with them.</summary>
internal sealed partial class RestrictedUnpickler
{
    /// <summary>The only globals a state-dict pickle may name, with the storage dtype for storage classes.</summary>
    /// <remarks>
    /// NOTE: <c>torch.storage._load_from_bytes</c> (legacy storages) is deliberately absent: it runs
    /// <c>torch.load</c> on bytes from the file, i.e. a second, unrestricted unpickling.
    /// </remarks>
    public static readonly IReadOnlyDictionary<string, TorchDType?> Allowed = new Dictionary<string, TorchDType?>(StringComparer.Ordinal)
    {
        ["collections.OrderedDict"] = null,
        ["torch._utils._rebuild_tensor_v2"] = null,
        ["torch._utils._rebuild_parameter"] = null,
        ["torch.FloatStorage"] = TorchDType.Float32,
        ["torch.DoubleStorage"] = TorchDType.Float64,
        ["torch.HalfStorage"] = TorchDType.Float16,
        ["torch.BFloat16Storage"] = TorchDType.BFloat16,
        ["torch.LongStorage"] = TorchDType.Int64,
        ["torch.IntStorage"] = TorchDType.Int32,
        ["torch.ShortStorage"] = TorchDType.Int16,
        ["torch.CharStorage"] = TorchDType.Int8,
        ["torch.ByteStorage"] = TorchDType.UInt8,
        ["torch.BoolStorage"] = TorchDType.Bool,
    };

    private static string TypeName(object? value) => value switch
    {
        null => "None",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        TorchDictionary => "dict",
        List<object?> => "list",
        object?[] => "tuple",
        TorchTensor => "Tensor",
        Global g => g.FullName,
        StorageRef => "storage",
        _ => value.GetType().Name,
    };

    private Global ResolveGlobal(string module, string name)
    {
        string full = module + "." + name;
        if (!Allowed.TryGetValue(full, out TorchDType? dtype))
        {
            throw Fail($"global '{full}' is not allowed; a state dict may only name collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and torch.*Storage (nothing was run)");
        }

        return new Global(full, dtype);
    }

    private object? Reduce(object? callable, object? args)
    {
        if (callable is not Global g)
        {
            throw Fail($"REDUCE on a {TypeName(callable)}; only allowed globals can be called");
        }

        if (args is not object?[] a)
        {
            throw Fail($"REDUCE of {g.FullName} with {TypeName(args)} arguments; expected a tuple");
        }

        switch (g.FullName)
        {
            case "collections.OrderedDict":
                if (a.Length != 0)
                {
                    throw Fail($"collections.OrderedDict called with {a.Length} arguments; torch pickles it with none");
                }

                return new TorchDictionary();
            case "torch._utils._rebuild_tensor_v2":
                return RebuildTensor(a);
            case "torch._utils._rebuild_parameter":
                if (a.Length != 3 || a[0] is not TorchTensor t || a[1] is not bool requiresGrad)
                {
                    throw Fail("torch._utils._rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
                }

                return t.AsParameter(requiresGrad);
            default:
                throw Fail($"{g.FullName} cannot be called; storage classes only appear in storage references");
        }
    }

    private StorageRef PersistentLoad(object? pid)
    {
        // torch's persistent id: ('storage', storage_type, key, location, numel)
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage")
        {
            throw Fail($"persistent id {TypeName(pid)} is not ('storage', type, key, location, numel)");
        }

        if (t[1] is not Global { DType: TorchDType dtype } g)
        {
            throw Fail($"storage type {TypeName(t[1])} is not a torch.*Storage class");
        }

        if (t[2] is not string key || key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal))
        {
            throw Fail($"storage key {TypeName(t[2])} '{t[2]}' is not a plain entry name");
        }

        if (t[4] is not long numel || numel < 0)
        {
            throw Fail($"storage '{key}' ({g.FullName}) has element count {t[4]}; expected a non-negative integer");
        }

        return new StorageRef(dtype, key, t[3] as string ?? "", numel);
    }

    private void Build(object? target, object? state)
    {
        // NOTE: state_dict() attaches `_metadata` (per-module versions) to its OrderedDict; pickle restores it with
        // BUILD. It does not affect the tensors, so it is accepted and dropped.
        if (target is not TorchDictionary || state is not (TorchDictionary or null))
        {
            throw Fail($"BUILD on a {TypeName(target)} with {TypeName(state)} state; only OrderedDict attributes are accepted");
        }
    }

    private TorchTensor RebuildTensor(object?[] a)
    {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.Length is < 6 or > 7 || a[0] is not StorageRef storage || a[1] is not long offset
            || a[2] is not object?[] size || a[3] is not object?[] stride || a[4] is not bool requiresGrad)
        {
            throw Fail("torch._utils._rebuild_tensor_v2 expects (storage, offset, size tuple, stride tuple, requires_grad, hooks)");
        }

        if (size.Length != stride.Length)
        {
            throw Fail($"tensor size has {size.Length} dimensions but stride has {stride.Length}");
        }

        int elementSize = TorchTensor.ElementSize(storage.DType);
        var shape = new int[size.Length];
        var strides = new long[size.Length];
        long count = 1;
        Int128 last = offset; // index of the last element the view reads
        for (int i = 0; i < size.Length; i++)
        {
            if (size[i] is not long s || s < 0 || s > int.MaxValue || stride[i] is not long st || st < 0 || st > int.MaxValue)
            {
                throw Fail($"tensor size ({Join(size)}) / stride ({Join(stride)}) must be non-negative integers");
            }

            shape[i] = (int)s;
            strides[i] = st;
            count = s == 0 ? 0 : count > Array.MaxLength / s ? long.MaxValue : count * s;
            last += s == 0 ? 0 : (Int128)(s - 1) * st;
        }

        if (count > Array.MaxLength / elementSize)
        {
            throw Fail($"tensor of size ({Join(size)}) is too large to hold in memory");
        }

        if (offset < 0 || (count > 0 && last >= storage.ElementCount))
        {
            throw Fail(string.Format(CultureInfo.InvariantCulture,
                "tensor of size ({0}), stride ({1}) at offset {2} reads element {3} of storage '{4}', which has {5} {6} elements",
                Join(size), Join(stride), offset, last.ToString(CultureInfo.InvariantCulture), storage.Key, storage.ElementCount, storage.DType));
        }

        byte[] bytes = _loadStorage(storage, _opStart);
        byte[] data = TorchTensor.Gather(bytes, elementSize, offset, shape, strides, (int)count);
        return new TorchTensor(storage.DType, shape, data, requiresGrad, isParameter: false);
    }

    private static string Join(object?[] values) => string.Join(", ", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    /// <summary>A global that passed the allow-list; <see cref="DType"/> is set for storage classes.</summary>
    private sealed record Global(string FullName, TorchDType? DType);
}

/// <summary>A storage reference from a persistent id: dtype, entry key under <c>data/</c>, device and element count.</summary>
internal sealed record StorageRef(TorchDType DType, string Key, string Location, long ElementCount);
