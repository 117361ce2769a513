public import RuleKit
public import ZohoCRM

extension ProjectSettings {
    /// zrules.yaml's values as one layer of `ConfigurationBuilder`, each naming `file:line:col`.
    public func configurationLayer(file: String) -> ConfigurationLayer {
        func setting(_ value: String?, _ key: String) -> ConfigurationSetting? {
            guard let value else { return nil }
            let position = positions[key] ?? Position(line: 1, column: 1)
            return ConfigurationSetting(
                value,
                from: .projectFile(path: file, line: position.line, column: position.column)
            )
        }
        var layer = ConfigurationLayer()
        layer.dataCenter = setting(dataCenter, "data_center")
        layer.environment = setting(environment, "environment")
        layer.apiVersion = setting(apiVersion, "api_version")
        layer.edition = setting(edition, "edition")
        layer.apiURL = setting(apiURL, "api_url")
        layer.credentialsFile = setting(credentialsFile, "credentials")
        layer.stateDirectory = setting(stateDirectory, "state_dir")
        return layer
    }
}
