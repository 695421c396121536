package policy

import "slices"

// pairStatements matches statements of a and b: first by Sid, then Sid-less
// statements that normalize identically, then the remaining Sid-less ones
// in order. It returns index pairs and the unpaired indices of each side.
func pairStatements(a, b []Statement) (pairs [][2]int, onlyA, onlyB []int) {
	usedB := make([]bool, len(b))
	pairedA := make([]bool, len(a))
	try := func(match func(x, y Statement) bool) {
		for i := range a {
			if pairedA[i] {
				continue
			}
			for j := range b {
				if !usedB[j] && match(a[i], b[j]) {
					pairs = append(pairs, [2]int{i, j})
					pairedA[i], usedB[j] = true, true
					break
				}
			}
		}
	}
	try(func(x, y Statement) bool { return x.Sid != "" && x.Sid == y.Sid })
	same := func(x, y Statement) bool {
		return x.Sid == "" && y.Sid == "" && marshalCanonical(normalizeStatement(x)) == marshalCanonical(normalizeStatement(y))
	}
	try(same)
	try(func(x, y Statement) bool { return x.Sid == "" && y.Sid == "" })
	for i, p := range pairedA {
		if !p {
			onlyA = append(onlyA, i)
		}
	}
	for j, u := range usedB {
		if !u {
			onlyB = append(onlyB, j)
		}
	}
	slices.SortFunc(pairs, func(x, y [2]int) int { return x[1] - y[1] })
	return pairs, onlyA, onlyB
}

// diffStatement compares two paired statements field by field.
func diffStatement(name string, x, y Statement) []Difference {
	var out []Difference
	add := func(field string, before, after []string) {
		removed, added := setDiff(before, after)
		if len(removed)+len(added) > 0 {
			out = append(out, Difference{Statement: name, Field: field, Removed: removed, Added: added})
		}
	}
	if x.Effect != y.Effect {
		add("Effect", []string{string(x.Effect)}, []string{string(y.Effect)})
	}
	add("Action", x.Action, y.Action)
	add("NotAction", x.NotAction, y.NotAction)
	add("Resource", x.Resource, y.Resource)
	add("NotResource", x.NotResource, y.NotResource)
	cx, cy := normalizeStatement(x).Condition, normalizeStatement(y).Condition
	var keys []string
	seen := map[string]bool{}
	for _, c := range append(slices.Clone(x.Conditions), y.Conditions...) {
		k := c.Operator + " " + c.Key
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		var op, key string
		for i := range k {
			if k[i] == ' ' {
				op, key = k[:i], k[i+1:]
				break
			}
		}
		add("Condition "+k, cx[op][key], cy[op][key])
	}
	return out
}

// setDiff returns the sorted values only in before and only in after.
func setDiff(before, after []string) (removed, added []string) {
	b, a := sortedSet(before), sortedSet(after)
	for _, v := range b {
		if !slices.Contains(a, v) {
			removed = append(removed, v)
		}
	}
	for _, v := range a {
		if !slices.Contains(b, v) {
			added = append(added, v)
		}
	}
	return removed, added
}
