#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reconstruction filter of a separable resize: a weight for each distance
/// (in input pixels at scale 1) and the half-width outside which it is zero.
/// A downscale stretches it by the scale factor, which is what antialiases.
enum ResamplingFilter: Sendable {
    /// Linear interpolation's tent, `1 − |x|` (Pillow's and torch's BILINEAR).
    case triangle
    /// Keys' cubic convolution with `a = −0.5`, in the Horner form torch's
    /// `cubic_convolution1/2` evaluate (torch's antialiased BICUBIC).
    case keysCubic
    /// `sinc(x)·sinc(x/3)` (Pillow's and torch's LANCZOS).
    case lanczos3

    var support: Double {
        switch self {
        case .triangle: 1
        case .keysCubic: 2
        case .lanczos3: 3
        }
    }

    func weight(_ x: Double) -> Double {
        switch self {
        case .triangle:
            let d = abs(x)
            return d < 1 ? 1 - d : 0
        case .keysCubic:
            let a = -0.5, d = abs(x)
            if d < 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
            if d < 2 { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a }
            return 0
        case .lanczos3:
            return Self.lanczos(x)
        }
    }

    /// Pillow's window is `[−3, 3)`, torch's `|x| < 3`. They differ only at
    /// x = −3, where Pillow's value (~1.5e-33) is absorbed into the window's sum
    /// and rounds to a zero fixed-point weight: the resizes are the same.
    static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }
}
