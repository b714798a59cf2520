// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
  name: "promptsmith",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "promptsmith", targets: ["promptsmith"])
  ],
  dependencies: [
    .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
    .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
    .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
    .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
    .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
  ],
  targets: [
    .target(
      name: "App",
      dependencies: [
        .product(name: "Vapor", package: "vapor"),
        .product(name: "Fluent", package: "fluent"),
        .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
        .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Yams", package: "Yams"),
        "Tokenizer",
        "Templating",
      ],
      resources: [.copy("Resources/openapi.yaml")],
      swiftSettings: strictSettings
    ),
    .target(
      name: "Tokenizer",
      resources: [
        .copy("Resources/cl100k_base.tiktoken"),
        .copy("Resources/o200k_base.tiktoken"),
      ],
      swiftSettings: strictSettings
    ),
    .target(
      name: "Templating",
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "templating-bench",
      dependencies: ["Templating"],
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "tokenizer-bench",
      dependencies: ["Tokenizer"],
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "promptsmith",
      dependencies: ["App"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "AppTests",
      dependencies: [
        "App",
        .product(name: "VaporTesting", package: "vapor"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "TokenizerTests",
      dependencies: ["Tokenizer", .product(name: "Crypto", package: "swift-crypto")],
      resources: [.copy("Fixtures")],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "TemplatingTests",
      dependencies: ["Templating"],
      resources: [.copy("Fixtures")],
      swiftSettings: strictSettings
    ),
  ],
  swiftLanguageModes: [.v6]
)
