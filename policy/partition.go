package policy

import "strings"

// InPartition returns doc with every ARN of the standard partition
// ("arn:aws:…" as a JSON string) rewritten to partition, e.g. "aws-us-gov".
// The seed is written for "aws"; in GovCloud or China its resources
// arn:aws:iam::*:user/${aws:username} would match no user at all, so the
// portal publishes and compares the document in its own partition's form.
// Only the prefix of JSON strings changes, so the text keeps its layout (the
// policy page's line positions and the drift comparison stay meaningful).
// partition "" or "aws" returns doc unchanged.
func InPartition(doc, partition string) string {
	if partition == "" || partition == "aws" {
		return doc
	}
	return strings.ReplaceAll(doc, `"arn:aws:`, `"arn:`+partition+`:`)
}
