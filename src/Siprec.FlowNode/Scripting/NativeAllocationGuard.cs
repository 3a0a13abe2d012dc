using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Siprec.FlowNode.Scripting;

/// <summary>
/// Bounds the built-ins that make a large string in one native call, which Jint's memory limit (checked between statements)
/// only sees once the string exists: <c>'x'.repeat(4e8)</c> allocated 800 MB and <c>Array(100).fill(s).join('')</c> 2.7 GB in
/// 3.8 s on Jint 4.18 under a 4 MB limit, past the time limit too. Each guarded built-in estimates its result's length from
/// its arguments first and, above the limit, stops the script as the memory limit does.
/// </summary>
/// <remarks>
/// Guarded: <c>String.prototype.repeat</c>, <c>concat</c>, <c>replace</c>, <c>replaceAll</c> (an upper bound on the matches),
/// <c>Array.prototype.join</c> (and so <c>toString</c> and <c>String(array)</c>), <c>JSON.stringify</c> (its strings and arrays,
/// bounded walk). <c>padStart</c>/<c>padEnd</c> and array growth are caught by Jint's own limits.
/// </remarks>
internal static class NativeAllocationGuard
{
    private const int WalkDepth = 32;

    /// <summary>Replaces the guarded built-ins of <paramref name="engine"/>'s realm with bounded ones.</summary>
    /// <param name="engine">A fresh engine, before the designer's script runs.</param>
    /// <param name="maxChars">The longest string a guarded built-in may make, in UTF-16 characters.</param>
    public static void Install(Engine engine, long maxChars)
    {
        // From the realm's globals, before any script ran: nothing the designer wrote can have replaced them yet.
        var strings = engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        var arrays = engine.Global.Get("Array").AsObject().Get("prototype").AsObject();
        var json = engine.Global.Get("JSON").AsObject();
        Guard(engine, strings, "repeat", 1, maxChars, (self, args) => Text(self) * Math.Max(0, Number(args, 0)));
        Guard(engine, strings, "concat", 1, maxChars, (self, args) => Text(self) + args.Sum(a => (double)Text(a)));
        Guard(engine, strings, "replace", 2, maxChars, (self, args) => Replaced(self, args, all: args.Length > 0 && IsGlobal(args[0])));
        Guard(engine, strings, "replaceAll", 2, maxChars, (self, args) => Replaced(self, args, all: true));
        Guard(engine, arrays, "join", 1, maxChars, (self, args) =>
        {
            var separator = args.Length > 0 && !args[0].IsUndefined() ? Text(args[0]) : 1;
            return Joined(self, separator, maxChars);
        });
        Guard(engine, json, "stringify", 3, maxChars, (_, args) => args.Length > 0 ? Serialized(args[0], maxChars, WalkDepth) : 0);
    }

    private static void Guard(Engine engine, ObjectInstance target, string name, int length, long maxChars, Func<JsValue, JsValue[], double> estimate)
    {
        var original = target.Get(name);
        var bounded = new ClrFunction(engine, name, (self, args) =>
        {
            if (estimate(self, args) > maxChars)
            {
                throw new MemoryLimitExceededException(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' would make a string of more than {maxChars} characters"));
            }
            return engine.Call(original, self, args);
        }, length, PropertyFlag.Configurable);
        target.DefineOwnProperty(name, new PropertyDescriptor(bounded, writable: true, enumerable: false, configurable: true));
    }

    // The length of a value as a string, where that is known without running the script's own code (an object's toString
    // may be the designer's): strings and numbers exactly, anything else as a short constant.
    private static int Text(JsValue value) => value.IsString() ? value.AsString().Length : value.IsNumber() ? 24 : 16;

    private static double Number(JsValue[] args, int index) => args.Length > index ? TypeConverter.ToNumber(args[index]) : 0;

    private static bool IsGlobal(JsValue pattern) =>
        pattern.IsObject() && pattern.AsObject().Get("global") is var global && global.IsBoolean() && global.AsBoolean();

    // An upper bound: every possible match (each position for an empty pattern) replaced; a function replacement is the
    // script's code and is bounded by the limits as it runs.
    private static double Replaced(JsValue self, JsValue[] args, bool all)
    {
        var length = Text(self);
        if (args.Length < 2 || !args[1].IsString())
            return length;
        var pattern = args[0].IsString() ? args[0].AsString().Length : 0;
        var matches = all ? length / (double)Math.Max(1, pattern) + 1 : 1;
        return length + matches * args[1].AsString().Length;
    }

    private static double Joined(JsValue self, int separator, long maxChars)
    {
        if (!self.IsObject())
            return 0;
        var array = self.AsObject();
        var count = TypeConverter.ToNumber(array.Get("length"));
        // More elements than characters allowed: no real array that large exists under the memory limit, and an array-like
        // with a made-up length would keep this loop (and the join itself) going where no time limit reaches.
        if (count > maxChars)
            return count;
        var total = Math.Max(0, count - 1) * separator;
        for (long i = 0; i < count && total <= maxChars; i++)
        {
            var element = array.Get(i.ToString(CultureInfo.InvariantCulture));
            if (!element.IsNull() && !element.IsUndefined())
                total += element.IsObject() && element.AsObject().Get("length") is var inner && inner.IsNumber() ? Joined(element, 1, maxChars - (long)total) : Text(element);
        }
        return total;
    }

    // What JSON.stringify would write at least: every string and number, with a bounded walk into arrays and objects.
    private static double Serialized(JsValue value, long maxChars, int depth)
    {
        if (!value.IsObject() || depth == 0)
            return Text(value);
        var total = 2.0;
        var target = value.AsObject();
        foreach (var key in target.GetOwnPropertyKeys(Types.String))
        {
            total += Text(key) + 4 + Serialized(target.Get(key), maxChars, depth - 1);
            if (total > maxChars)
                break;
        }
        return total;
    }
}
