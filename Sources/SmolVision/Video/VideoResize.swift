/// The resampling transformers' video processor applies to frames.
enum VideoResize {
    static func resize(_ image: Image, width: Int, height: Int) -> Image {
        guard width != image.width || height != image.height else { return image }
        let resized = LanczosResampler.resize(PixelBuffer(image), width: width, height: height)
        return resized.image
    }
}
