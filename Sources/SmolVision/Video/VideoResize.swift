/// The resampling transformers' video processor applies to frames: torchvision's LANCZOS on uint8
/// tensors, i.e. torch's antialiased separable kernel (not Pillow's: they differ by up to 2 steps).
enum VideoResize {
    static func resize(_ image: Image, width: Int, height: Int) -> Image {
        guard width != image.width || height != image.height else { return image }
        return TorchAntialiasResampler(.lanczos, inputWidth: image.width, inputHeight: image.height,
                                       outputWidth: width, outputHeight: height).resize(image)
    }
}
