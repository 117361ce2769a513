extension Double {
    /// The value as an integer when it is one (and safely representable), so `12` is written `12`, not `12.0`.
    var wholeNumber: Int64? {
        rounded() == self && abs(self) < 1e15 ? Int64(self) : nil
    }

    /// The value as Zoho and COQL write it: `12` for whole numbers, `12.5` otherwise.
    var zohoText: String {
        wholeNumber.map(String.init) ?? String(self)
    }
}
