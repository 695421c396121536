package store

// IsUniqueViolation exposes isUniqueViolation to the black-box tests.
var IsUniqueViolation = isUniqueViolation

// RepairModes exposes repairModes to the black-box tests.
var RepairModes = repairModes
