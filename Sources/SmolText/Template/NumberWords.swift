/// English number words as the Python `num2words` package writes them, which SmolVLM2's video
/// prompt uses for its frame count ("sixty-four frames").
public enum NumberWords {
    private static let small = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    private static let scales: [(value: Int, name: String)] = [
        (1_000_000_000_000_000, "quadrillion"), (1_000_000_000_000, "trillion"), (1_000_000_000, "billion"),
        (1_000_000, "million"), (1_000, "thousand"),
    ]

    /// The cardinal: "twenty-one", "one hundred and one", "one thousand, nine hundred and ninety-nine",
    /// "minus three". Groups of thousands are joined by ", ", except that a final part below one
    /// hundred is joined by " and ".
    public static func cardinal(_ number: Int) -> String {
        if number < 0 { return "minus " + cardinal(number == Int.min ? Int.max : -number) }
        if number < 1000 { return belowThousand(number) }
        var parts: [String] = []
        var rest = number
        for scale in scales where rest >= scale.value {
            parts.append(cardinal(rest / scale.value) + " " + scale.name)
            rest %= scale.value
        }
        var text = parts.joined(separator: ", ")
        if rest > 0 { text += (rest < 100 ? " and " : ", ") + belowThousand(rest) }
        return text
    }

    private static func belowThousand(_ n: Int) -> String {
        if n < 20 { return small[n] }
        if n < 100 { return tens[n / 10] + (n % 10 == 0 ? "" : "-" + small[n % 10]) }
        let hundreds = small[n / 100] + " hundred"
        return n % 100 == 0 ? hundreds : hundreds + " and " + belowThousand(n % 100)
    }
}
