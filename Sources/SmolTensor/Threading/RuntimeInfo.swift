/// Facts about the compute runtime, for diagnostics and benchmark reports.
public enum RuntimeInfo {
    /// The BLAS library in use, its build configuration and thread count.
    public static var blasDescription: String { BLAS.description }
}
