// The Juju double: see JujuDouble.swift.
