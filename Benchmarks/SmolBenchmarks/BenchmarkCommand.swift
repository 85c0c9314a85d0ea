import ArgumentParser

@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "SmolBenchmarks",
        abstract: "Speed measurements for the SmolVLM SDK. Build in release: swift run -c release SmolBenchmarks …",
        subcommands: [GEMMBenchmark.self, TextBenchmark.self, VisionBenchmark.self, ResizeBenchmark.self, VideoBenchmark.self, PipelineBenchmark.self])
}
