/// torch's antialiased resize of uint8 images, bit for bit: what
/// `torch.nn.functional.interpolate(uint8, mode=…, antialias=True,
/// align_corners=False)` returns on the CPU (torch 2.15), and so what
/// torchvision's `resize` gives a uint8 tensor for LANCZOS and BICUBIC (and for
/// BILINEAR where torchvision takes the native uint8 path: AVX2/AVX-512 or ARM).
/// transformers' torchvision-backed processors, such as the SmolVLM video
/// processor, resize this way.
///
/// torch's kernel (`UpSampleKernel.cpp`, `UpSampleKernelAVXAntialias.h`, from
/// Pillow-SIMD) uses Pillow's filter windows but rounds the weights to int16:
/// each axis gets the largest precision `p ≤ 22` whose largest weight still
/// rounds below 2^15 one bit up, so `p` follows the scale (14 bits near scale
/// 1, more when downscaling). It always filters horizontally first, then
/// vertically, with a uint8 image between. Hence results within a couple of
/// steps of Pillow's, but not equal.
///
/// The coefficients depend only on the sizes, so one resampler serves every
/// frame of a video.
package struct TorchAntialiasResampler: Sendable {
    /// torch's interpolation modes with a uint8 antialiased kernel.
    package enum Mode: Sendable {
        case bilinear, bicubic, lanczos

        var filter: ResamplingFilter {
            switch self {
            case .bilinear: .triangle
            case .bicubic: .keysCubic
            case .lanczos: .lanczos3
            }
        }
    }

    package let inputWidth: Int
    package let inputHeight: Int
    package let outputWidth: Int
    package let outputHeight: Int
    /// nil for an axis whose size does not change (torch skips that pass).
    private let horizontal: SeparableResampling.Coefficients?
    private let vertical: SeparableResampling.Coefficients?

    /// A resampler from `inputWidth × inputHeight` to `outputWidth × outputHeight` (all positive).
    package init(_ mode: Mode, inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int) {
        precondition(min(inputWidth, inputHeight, outputWidth, outputHeight) > 0, "resize sizes must be positive")
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        horizontal = inputWidth == outputWidth ? nil
            : Self.coefficients(mode.filter, inputSize: inputWidth, outputSize: outputWidth)
        vertical = inputHeight == outputHeight ? nil
            : Self.coefficients(mode.filter, inputSize: inputHeight, outputSize: outputHeight)
    }

    /// `buffer` (of the input size) resized to the output size.
    func resize(_ buffer: PixelBuffer) -> PixelBuffer {
        precondition(buffer.width == inputWidth && buffer.height == inputHeight, "resampler built for another size")
        return SeparableResampling.resize(buffer, horizontal: horizontal, vertical: vertical,
                                          width: outputWidth, height: outputHeight, verticalFirst: false)
    }

    /// `image` (of the input size) resized to the output size.
    package func resize(_ image: Image) -> Image {
        resize(PixelBuffer(image)).image
    }

    /// torch's `_compute_index_ranges_int16_weights`: the windows at the highest
    /// precision (at most 22 bits) at which `round(maxWeight · 2^(p+1))` stays
    /// below 2^15.
    static func coefficients(_ filter: ResamplingFilter, inputSize: Int, outputSize: Int) -> SeparableResampling.Coefficients {
        let windows = SeparableResampling.windows(inputSize: inputSize, outputSize: outputSize, filter: filter)
        var precision = 0
        while precision < 22 && Int(0.5 + windows.maxWeight * Double(1 << (precision + 1))) < 1 << 15 {
            precision += 1
        }
        return SeparableResampling.Coefficients(windows, precision: precision)
    }
}
