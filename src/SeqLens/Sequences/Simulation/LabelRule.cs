using System.Text;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// A logical rule over motif presence that defines a task's label: a motif name, or AND / OR / XOR / NOT of rules.
/// </summary>
/// <remarks>
/// Text form (<see cref="Parse"/> and <see cref="ToString"/>): motif names (letters, digits, <c>_ . : - +</c>),
/// <c>!</c> (NOT, binds tightest), <c>&amp;</c> (AND), <c>^</c> (XOR), <c>|</c> (OR, loosest), and parentheses,
/// e.g. <c>GATA_disc1 &amp; !(TAL1_known1 | AP1)</c>. The DeepResolve paper's simulations use such rules to test
/// whether feature-importance methods recover motif interactions (Liu et al. 2019, Bioinformatics 35:i108).
/// </remarks>
public sealed class LabelRule
{
    private readonly string? _motif;
    private readonly LabelRule? _left;
    private readonly LabelRule? _right;
    private readonly char _op; // 'm' motif, '!', '&', '|', '^'

    private LabelRule(char op, string? motif, LabelRule? left, LabelRule? right)
    {
        _op = op;
        _motif = motif;
        _left = left;
        _right = right;
    }

    /// <summary>True when <paramref name="name"/> is present.</summary>
    public static LabelRule Motif(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(IsNameChar))
        {
            throw new ArgumentException($"Motif name '{name}' may only hold letters, digits and _ . : - +.", nameof(name));
        }

        return new LabelRule('m', name, null, null);
    }

    /// <summary>Both rules hold.</summary>
    public static LabelRule And(LabelRule left, LabelRule right) => Binary('&', left, right);

    /// <summary>Either rule holds.</summary>
    public static LabelRule Or(LabelRule left, LabelRule right) => Binary('|', left, right);

    /// <summary>Exactly one of the rules holds.</summary>
    public static LabelRule Xor(LabelRule left, LabelRule right) => Binary('^', left, right);

    /// <summary>The rule does not hold.</summary>
    public static LabelRule Not(LabelRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new LabelRule('!', null, rule, null);
    }

    /// <summary>Every motif name the rule mentions.</summary>
    public IEnumerable<string> Motifs => _op == 'm' ? [_motif!] : _left!.Motifs.Concat(_right?.Motifs ?? []).Distinct();

    /// <summary>Evaluates the rule for the set of motifs present in a sequence.</summary>
    public bool Evaluate(IReadOnlySet<string> present)
    {
        ArgumentNullException.ThrowIfNull(present);
        return _op switch
        {
            'm' => present.Contains(_motif!),
            '!' => !_left!.Evaluate(present),
            '&' => _left!.Evaluate(present) && _right!.Evaluate(present),
            '|' => _left!.Evaluate(present) || _right!.Evaluate(present),
            _ => _left!.Evaluate(present) ^ _right!.Evaluate(present),
        };
    }

    /// <summary>Parses the text form (see remarks); throws <see cref="FormatException"/> naming the column on error.</summary>
    public static LabelRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        LabelRule rule = parser.ParseOr();
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected text");
        }

        return rule;
    }

    /// <summary>The text form, fully parenthesised for binary operators.</summary>
    public override string ToString() => _op switch
    {
        'm' => _motif!,
        '!' => "!" + _left,
        _ => "(" + _left + " " + _op + " " + _right + ")",
    };

    private static LabelRule Binary(char op, LabelRule left, LabelRule right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new LabelRule(op, null, left, right);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-' or '+';

    private sealed class Parser(string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public LabelRule ParseOr()
        {
            LabelRule left = ParseXor();
            while (Accept('|'))
            {
                left = Or(left, ParseXor());
            }

            return left;
        }

        public void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        public FormatException Error(string what)
            => new($"Label rule '{text}': {what} at column {_pos + 1}; expected motif names joined by & | ^ ! and parentheses.");

        private LabelRule ParseXor()
        {
            LabelRule left = ParseAnd();
            while (Accept('^'))
            {
                left = Xor(left, ParseAnd());
            }

            return left;
        }

        private LabelRule ParseAnd()
        {
            LabelRule left = ParseUnary();
            while (Accept('&'))
            {
                left = And(left, ParseUnary());
            }

            return left;
        }

        private LabelRule ParseUnary()
        {
            if (Accept('!'))
            {
                return Not(ParseUnary());
            }

            if (Accept('('))
            {
                LabelRule inner = ParseOr();
                if (!Accept(')'))
                {
                    throw Error("missing ')'");
                }

                return inner;
            }

            SkipSpaces();
            var name = new StringBuilder();
            while (_pos < text.Length && IsNameChar(text[_pos]))
            {
                name.Append(text[_pos++]);
            }

            if (name.Length == 0)
            {
                throw Error(AtEnd ? "rule ends early" : $"unexpected '{text[_pos]}'");
            }

            return Motif(name.ToString());
        }

        private bool Accept(char c)
        {
            SkipSpaces();
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }
    }
}
