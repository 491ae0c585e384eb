using System.Text;

namespace SeqLens.IO.Text;

/// <summary>
/// Splits a byte stream into lines without decoding (LF or CRLF endings; a trailing CR is removed), tracking the
/// 1-based line number and the byte offset of each line. Memory is bounded by the longest line.
/// </summary>
/// <remarks>
/// Used by the FASTA reader and the FAI builder, where per-line string decoding would cost most of the time.
/// Decompression errors of the underlying stream (truncated or corrupt gzip) surface as
/// <see cref="ParseException"/> naming the source and line.
/// </remarks>
public sealed class ByteLineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Reads lines from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public ByteLineReader(Stream stream, string source, bool leaveOpen = false, int bufferSize = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _source = source;
        _leaveOpen = leaveOpen;
        _buffer = new byte[bufferSize];
    }

    /// <summary>The source name used in error messages.</summary>
    public string Source => _source;

    /// <summary>1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Byte offset (in the decompressed stream) of the start of the line last returned.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Length in bytes of the line terminator of the line last returned: 0 (end of file), 1 (LF) or 2 (CRLF).</summary>
    public int TerminatorLength { get; private set; }

    /// <summary>True when the line last returned ended with a carriage return (removed from the line).</summary>
    public bool HadCarriageReturn { get; private set; }

    /// <summary>Byte offset just past the line last returned, including its terminator.</summary>
    public long Position => _consumed;

    private long _consumed;

    /// <summary>Reads the next line (without its terminator); false at end of input.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int lineEnd = _start + nl;
                int contentEnd = lineEnd;
                int term = 1;
                HadCarriageReturn = false;
                if (contentEnd > _start && _buffer[contentEnd - 1] == (byte)'\r')
                {
                    contentEnd--;
                    term = 2;
                    HadCarriageReturn = true;
                }

                line = _buffer.AsSpan(_start, contentEnd - _start);
                LineOffset = _consumed;
                TerminatorLength = term;
                _consumed += lineEnd + 1 - _start;
                _start = lineEnd + 1;
                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }

                int contentEnd = _end;
                int term = 0;
                HadCarriageReturn = false;
                if (_buffer[contentEnd - 1] == (byte)'\r')
                {
                    contentEnd--;
                    term = 1;
                    HadCarriageReturn = true;
                }

                line = _buffer.AsSpan(_start, contentEnd - _start);
                LineOffset = _consumed;
                TerminatorLength = term;
                _consumed += _end - _start;
                _start = _end;
                LineNumber++;
                return true;
            }

            Fill();
        }
    }

    /// <summary>Decodes a line as UTF-8 text.</summary>
    public static string Decode(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line);

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n;
        try
        {
            n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (InvalidDataException ex)
        {
            throw new ParseException(_source, LineNumber + 1, 0, "corrupt or truncated compressed data: " + ex.Message, ex);
        }

        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
