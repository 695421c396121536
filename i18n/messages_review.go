package i18n

// Texts added by the browser review of every page in both languages.
func init() {
	register(EN, map[string]string{
		"users.nomatch":     "No user matches this search or filter.",
		"users.nomatch.all": "Show all users",
	})
	register(JA, map[string]string{
		"users.nomatch":     "この検索条件・絞り込みに一致するユーザーはいません。",
		"users.nomatch.all": "すべてのユーザーを表示",
	})
}
