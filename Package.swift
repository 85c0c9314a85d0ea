// swift-tools-version:6.0
import PackageDescription

// Linux links OpenBLAS; Apple platforms use Accelerate (see Sources/SmolTensor/BLAS.swift).
let blasDependency: Target.Dependency = .target(
    name: "COpenBLAS", condition: .when(platforms: [.linux, .android, .windows]))

let package = Package(
    name: "SmolVLM",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "SmolVLM", targets: ["SmolVLM"]),
        .library(name: "SmolTensor", targets: ["SmolTensor"]),
        .library(name: "SmolVision", targets: ["SmolVision"]),
        .library(name: "SmolText", targets: ["SmolText"]),
        .library(name: "SmolConnector", targets: ["SmolConnector"]),
        .library(name: "SmolPipeline", targets: ["SmolPipeline"]),
        .library(name: "SmolHub", targets: ["SmolHub"]),
        .executable(name: "smolvlm", targets: ["smolvlm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libpng-dev, libjpeg-dev).
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(
            name: "CJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev"]), .brew(["ffmpeg"])]),

        // Packed-weight GEMM and fused attention in C: AVX-512 / AVX512-BF16 kernels chosen
        // at run time, portable C elsewhere (see Sources/CSmolGEMM/include/smol_gemm.h).
        .target(name: "CSmolGEMM"),

        // The resize's vertical pass with AVX-512 (Swift compiles for baseline x86-64).
        .target(name: "CSmolResample"),

        // Layers: each depends only on the ones below it.
        // Decode-step kernels (matrix-vector products over stored weight formats), C
        // with AVX-512/AVX2 builds selected at run time by cpuid and a portable build.
        .target(name: "CSmolMatVec"),
        .target(name: "SmolTensor", dependencies: [blasDependency, "CSmolMatVec", "CSmolGEMM"]),
        // PNG/JPEG decoding in C, where libpng's and libjpeg's longjmp errors are caught.
        .target(name: "CSmolCodecs", dependencies: ["CPNG", "CJPEG"]),
        // Video decoding in C over FFmpeg's libraries.
        .target(
            name: "CSmolVideo", dependencies: ["CFFmpeg"],
            linkerSettings: [.linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("swscale"), .linkedLibrary("avutil")]),
        .target(name: "SmolVision", dependencies: ["SmolTensor", "CSmolCodecs", "CSmolResample", "CSmolVideo"]),
        .target(name: "SmolText", dependencies: ["SmolTensor"]),
        .target(name: "SmolConnector", dependencies: ["SmolTensor"]),
        // Hugging Face Hub downloads into the shared cache: Foundation only.
        .target(name: "SmolHub"),
        .target(
            name: "SmolPipeline",
            dependencies: ["SmolTensor", "SmolVision", "SmolText", "SmolConnector", "SmolHub"]),
        .target(
            name: "SmolVLM",
            dependencies: ["SmolTensor", "SmolVision", "SmolText", "SmolConnector", "SmolHub", "SmolPipeline"]),
        .executableTarget(
            name: "smolvlm",
            dependencies: [
                "SmolVLM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Examples (built and run by .ci/run against a tiny checkpoint).
        .executableTarget(name: "DescribeImage", dependencies: ["SmolVLM"], path: "Examples/DescribeImage"),
        .executableTarget(name: "CompareImages", dependencies: ["SmolVLM"], path: "Examples/CompareImages"),
        .executableTarget(name: "VideoSummary", dependencies: ["SmolVLM"], path: "Examples/VideoSummary"),
        .executableTarget(
            name: "CustomPipeline",
            dependencies: ["SmolTensor", "SmolVision", "SmolText", "SmolConnector", "SmolPipeline"],
            path: "Examples/CustomPipeline"),
        .executableTarget(
            name: "SmolBenchmarks",
            dependencies: [
                "SmolTensor",
                "SmolText",
                "SmolVision",
                "SmolPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SmolBenchmarks"),

        // Helpers shared by the test targets (model paths, tolerance checks, a fake Hub).
        .target(name: "SmolTestSupport", dependencies: ["SmolTensor", "SmolHub"], path: "Tests/SmolTestSupport"),
        .testTarget(name: "SmolHubTests", dependencies: ["SmolHub", "SmolTestSupport"]),
        .testTarget(
            name: "SmolTensorTests", dependencies: ["SmolTensor", "SmolTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            // CPNG reads the encoder goldens' input frames.
            name: "SmolVisionTests", dependencies: ["SmolVision", "SmolTestSupport", "CPNG"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SmolTextTests", dependencies: ["SmolText", "SmolTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SmolConnectorTests", dependencies: ["SmolConnector"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SmolPipelineTests", dependencies: ["SmolPipeline", "SmolTestSupport"],
            resources: [.copy("Fixtures")]),
    ]
)
