/// The prompt's view of time in a video: `MM:SS` per frame and the `H:MM:SS` duration, computed
/// with Python's float arithmetic as transformers' processor does.
public enum VideoClock {
    /// `(minutes, seconds)` of a time in seconds: Python's `int(t // 60), int(t % 60)`.
    public static func minutesAndSeconds(_ seconds: Double) -> (minutes: Int, seconds: Int) {
        let (quotient, remainder) = pythonDivMod(seconds, 60)
        return (Int(quotient), Int(remainder))
    }

    /// "MM:SS" as the prompt writes a frame's timestamp (minutes may exceed two digits).
    public static func frameStamp(_ seconds: Double) -> String {
        let (m, s) = minutesAndSeconds(seconds)
        return twoDigits(m) + ":" + twoDigits(s)
    }

    /// Python's `str(timedelta(seconds=n))`: "H:MM:SS", with "D day(s), " in front past 24 hours.
    public static func duration(_ wholeSeconds: Int) -> String {
        let days = wholeSeconds >= 0 ? wholeSeconds / 86_400 : -((-wholeSeconds + 86_399) / 86_400)
        let rest = wholeSeconds - days * 86_400
        let clock = "\(rest / 3600):" + twoDigits(rest % 3600 / 60) + ":" + twoDigits(rest % 60)
        guard days != 0 else { return clock }
        return "\(days) day\(abs(days) == 1 ? "" : "s"), " + clock
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 && value >= 0 ? "0\(value)" : "\(value)" }

    /// CPython's float `divmod` (floor division and a remainder with the divisor's sign).
    static func pythonDivMod(_ x: Double, _ y: Double) -> (Double, Double) {
        var mod = x.truncatingRemainder(dividingBy: y)
        var div = (x - mod) / y
        if mod != 0 {
            if (y < 0) != (mod < 0) {
                mod += y
                div -= 1
            }
        } else {
            mod = Double(signOf: y, magnitudeOf: 0)
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1 }
        } else {
            floorDiv = Double(signOf: x / y, magnitudeOf: 0)
        }
        return (floorDiv, mod)
    }
}
