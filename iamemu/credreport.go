package iamemu

import "time"

// credReport is the account's credential report snapshot (§7).
type credReport struct {
	Started time.Time // generation start; content is a snapshot of this moment
	Ready   time.Time // when generation completes (Started + delay)
	Content []byte
}
