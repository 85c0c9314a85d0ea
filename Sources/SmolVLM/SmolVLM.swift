// The umbrella module: `import SmolVLM` brings in every layer of the SDK.
@_exported import SmolConnector
@_exported import SmolHub
@_exported import SmolPipeline
@_exported import SmolTensor
@_exported import SmolText
@_exported import SmolVision
