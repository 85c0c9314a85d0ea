/// Pillow's `Image.resize(size, Image.LANCZOS)` for 8-bit images, bit for bit.
///
/// Pillow (`src/libImaging/Resample.c`) builds, per output pixel, a window of
/// `lanczos(x) = sinc(x)·sinc(x/3)` weights (support 3, stretched by the
/// downscale factor), normalises them, converts them to 22-bit fixed point, and
/// resamples in two passes with a uint8 image between them (the horizontal pass
/// reading only the source rows the vertical pass needs). An axis whose size does
/// not change is skipped. The models were trained on images resized this way.
enum LanczosResampler {
    static let precisionBits = 22

    static func coefficients(inputSize: Int, outputSize: Int) -> SeparableResampling.Coefficients {
        let windows = SeparableResampling.windows(inputSize: inputSize, outputSize: outputSize, filter: .lanczos3)
        return SeparableResampling.Coefficients(windows, precision: precisionBits)
    }

    /// `buffer` resized to `width × height`.
    static func resize(_ buffer: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        SeparableResampling.resize(
            buffer,
            horizontal: width != buffer.width ? coefficients(inputSize: buffer.width, outputSize: width) : nil,
            vertical: height != buffer.height ? coefficients(inputSize: buffer.height, outputSize: height) : nil,
            width: width, height: height,
            verticalFirst: verticalFirst(from: buffer, width: width, height: height))
    }

    /// Pillow 13 (`ImagingResampleInner`) runs the vertical pass first when the
    /// height loses more than twice as many pixels as the width
    /// (`ih − oh > 2·(iw − ow)`, strictly, height shrinking); otherwise horizontal
    /// first. The vertical-first pass covers the full width.
    static func verticalFirst(from buffer: PixelBuffer, width: Int, height: Int) -> Bool {
        let heightLoss = buffer.height - height, widthLoss = buffer.width - width
        return heightLoss > 0 && heightLoss > 2 * widthLoss
    }
}
