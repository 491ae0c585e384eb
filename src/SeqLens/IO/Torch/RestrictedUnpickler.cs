using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SeqLens.IO.Torch;

/// <summary>
/// A restricted unpickler for the <c>data.pkl</c> of a <c>torch.save</c> archive: it interprets only the opcodes
/// torch writes and only the globals of <see cref="Allowed"/>, and builds SeqLens records. It never imports,
/// reflects or calls anything named by the file.
/// </summary>
/// <remarks>
/// Opcodes follow CPython's Lib/pickletools.py. Accepted: PROTO, FRAME, STOP, MARK, the empty containers, the
/// container builders (TUPLE*, APPEND(S), SETITEM(S)), integers (BININT*, LONG1 up to 8 bytes), BINFLOAT, NONE,
/// NEWTRUE/NEWFALSE, the unicode strings, memo opcodes (BINPUT, LONG_BINPUT, MEMOIZE, BINGET, LONG_BINGET),
/// GLOBAL/STACK_GLOBAL (checked against the allow-list as soon as the name is read), REDUCE (only on allowed
/// callables), BINPERSID (storage references) and BUILD (only on an OrderedDict, whose state is ignored). Anything
/// else, e.g. INST, OBJ, NEWOBJ or EXT1, is rejected. Errors name the archive, the pickle entry and the byte offset.
/// </remarks>
internal sealed partial class RestrictedUnpickler
{
    private readonly byte[] _data;
    private readonly string _path;
    private readonly string _entry;
    private readonly Func<StorageRef, int, byte[]> _loadStorage;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _opStart;

    /// <param name="data">The pickle bytes.</param>
    /// <param name="path">The archive path, for messages.</param>
    /// <param name="entry">The pickle's entry name inside the archive, for messages.</param>
    /// <param name="loadStorage">Returns the bytes of a storage (checked against its declared element count); the int is the opcode offset for messages.</param>
    public RestrictedUnpickler(byte[] data, string path, string entry, Func<StorageRef, int, byte[]> loadStorage)
    {
        _data = data;
        _path = path;
        _entry = entry;
        _loadStorage = loadStorage;
    }

    /// <summary>Runs the pickle program to its STOP opcode and returns the result.</summary>
    public object? Load()
    {
        while (true)
        {
            _opStart = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    byte proto = ReadByte();
                    if (proto is < 2 or > 5)
                    {
                        throw Fail($"pickle protocol {proto} is not supported (torch.save writes 2)");
                    }

                    break;
                case 0x95: // FRAME: an 8-byte length hint, nothing to do
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                    {
                        throw Fail($"STOP with {_stack.Count} values on the stack and {_marks.Count} open marks; expected exactly one value");
                    }

                    return _stack[0];
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'}': // EMPTY_DICT
                    _stack.Add(new TorchDictionary());
                    break;
                case (byte)']': // EMPTY_LIST
                    _stack.Add(new List<object?>());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    _stack.Add(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE
                    _stack.Add(PopMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                    _stack.Add(PopN(1));
                    break;
                case 0x86: // TUPLE2
                    _stack.Add(PopN(2));
                    break;
                case 0x87: // TUPLE3
                    _stack.Add(PopN(3));
                    break;
                case (byte)'a': // APPEND
                    {
                        object? item = Pop();
                        ListAt(_stack.Count - 1).Add(item);
                        break;
                    }

                case (byte)'e': // APPENDS
                    {
                        List<object?> items = PopMark();
                        ListAt(_stack.Count - 1).AddRange(items);
                        break;
                    }

                case (byte)'s': // SETITEM
                    {
                        object? value = Pop();
                        object? key = Pop();
                        SetItem(DictAt(_stack.Count - 1), key, value);
                        break;
                    }

                case (byte)'u': // SETITEMS
                    {
                        List<object?> items = PopMark();
                        if (items.Count % 2 != 0)
                        {
                            throw Fail("SETITEMS with an odd number of items");
                        }

                        TorchDictionary dict = DictAt(_stack.Count - 1);
                        for (int i = 0; i < items.Count; i += 2)
                        {
                            SetItem(dict, items[i], items[i + 1]);
                        }

                        break;
                    }

                case (byte)'N': // NONE
                    _stack.Add(null);
                    break;
                case 0x88: // NEWTRUE
                    _stack.Add(true);
                    break;
                case 0x89: // NEWFALSE
                    _stack.Add(false);
                    break;
                case (byte)'K': // BININT1
                    _stack.Add((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case (byte)'J': // BININT
                    _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case 0x8a: // LONG1
                    _stack.Add(ReadLong1());
                    break;
                case (byte)'G': // BINFLOAT (big-endian)
                    _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;
                case (byte)'X': // BINUNICODE
                    _stack.Add(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    _stack.Add(ReadUtf8(ReadByte()));
                    break;
                case 0x8d: // BINUNICODE8
                    _stack.Add(ReadUtf8(BinaryPrimitives.ReadUInt64LittleEndian(Take(8))));
                    break;
                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                case (byte)'h': // BINGET
                    _stack.Add(MemoGet(ReadByte()));
                    break;
                case (byte)'j': // LONG_BINGET
                    _stack.Add(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))));
                    break;
                case (byte)'c': // GLOBAL "module\nname\n"
                    {
                        string module = ReadLine();
                        string name = ReadLine();
                        _stack.Add(ResolveGlobal(module, name));
                        break;
                    }

                case 0x93: // STACK_GLOBAL
                    {
                        object? name = Pop();
                        object? module = Pop();
                        if (module is not string m || name is not string n)
                        {
                            throw Fail("STACK_GLOBAL needs two strings (module and name) on the stack");
                        }

                        _stack.Add(ResolveGlobal(m, n));
                        break;
                    }

                case (byte)'R': // REDUCE
                    {
                        object? args = Pop();
                        object? callable = Pop();
                        _stack.Add(Reduce(callable, args));
                        break;
                    }

                case (byte)'Q': // BINPERSID
                    _stack.Add(PersistentLoad(Pop()));
                    break;
                case (byte)'b': // BUILD
                    {
                        object? state = Pop();
                        Build(Peek(), state);
                        break;
                    }

                default:
                    throw Fail($"opcode 0x{op:x2}{Describe(op)} is not allowed in a state-dict pickle");
            }
        }
    }

    private static string Describe(byte op) => op switch
    {
        (byte)'i' => " (INST, imports and calls a global)",
        (byte)'o' => " (OBJ, calls a class)",
        0x81 => " (NEWOBJ, calls a class)",
        0x92 => " (NEWOBJ_EX, calls a class)",
        0x82 or 0x83 or 0x84 => " (EXT, imports a registered global)",
        (byte)'P' => " (PERSID, text persistent id)",
        >= 0x20 and < 0x7f => " ('" + (char)op + "')",
        _ => "",
    };

    private void SetItem(TorchDictionary dict, object? key, object? value)
    {
        if (key is not (string or long or double or bool))
        {
            throw Fail($"dictionary key of type {TypeName(key)} is not supported (expected a string or a number)");
        }

        dict.Set(key, value);
    }

    private ParseException Fail(string reason)
        => new(_path, 0, 0, string.Format(CultureInfo.InvariantCulture, "{0} byte {1}: {2}", _entry, _opStart, reason));

    private byte ReadByte()
    {
        if (_pos >= _data.Length)
        {
            throw Fail("the pickle ends without a STOP opcode (truncated)");
        }

        return _data[_pos++];
    }

    private ReadOnlySpan<byte> Take(ulong count)
    {
        if (count > (ulong)(_data.Length - _pos))
        {
            throw Fail($"needs {count.ToString(CultureInfo.InvariantCulture)} bytes; only {(_data.Length - _pos).ToString(CultureInfo.InvariantCulture)} left (truncated)");
        }

        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private string ReadUtf8(ulong length)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new ParseException(_path, 0, 0, string.Format(CultureInfo.InvariantCulture, "{0} byte {1}: invalid UTF-8 in a string", _entry, _opStart), ex);
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(_data.Length - _pos, 256));
        if (end < 0)
        {
            throw Fail("GLOBAL name without a newline within 256 bytes");
        }

        string line = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return line;
    }

    private long ReadLong1()
    {
        int n = ReadByte();
        if (n > 8)
        {
            throw Fail($"LONG1 of {n} bytes does not fit in 64 bits");
        }

        ReadOnlySpan<byte> bytes = Take((ulong)n);
        long value = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0)
        {
            value -= 1L << (8 * n); // two's complement of n bytes
        }

        return value;
    }

    private object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor)
        {
            throw Fail("stack underflow (an opcode needs a value that is not there)");
        }

        object? top = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return top;
    }

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor)
        {
            throw Fail("stack underflow (an opcode needs a value that is not there)");
        }

        return _stack[^1];
    }

    private object?[] PopN(int n)
    {
        var items = new object?[n];
        for (int i = n - 1; i >= 0; i--)
        {
            items[i] = Pop();
        }

        return items;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Fail("an opcode needs a MARK and there is none");
        }

        int mark = _marks.Pop();
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private List<object?> ListAt(int index)
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        return index >= floor && index < _stack.Count && _stack[index] is List<object?> list
            ? list
            : throw Fail("APPEND(S) on something that is not a list");
    }

    private TorchDictionary DictAt(int index)
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        return index >= floor && index < _stack.Count && _stack[index] is TorchDictionary dict
            ? dict
            : throw Fail("SETITEM(S) on something that is not a dict");
    }

    private object? MemoGet(long key)
        => _memo.TryGetValue(key, out object? value) ? value : throw Fail($"memo entry {key.ToString(CultureInfo.InvariantCulture)} was never stored");
}
