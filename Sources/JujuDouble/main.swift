// The Juju double: a stand-in `juju` executable for tests and the demo. See JujuDouble.swift.
import Foundation

exit(JujuDouble(environment: ProcessInfo.processInfo.environment).main(Array(CommandLine.arguments.dropFirst())))
