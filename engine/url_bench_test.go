package engine

import (
	"net/url"
	"testing"
)

var benchURLs = []string{
	"https://api.example.com/v1/users?id=42",
	"wss://chat.example.com:8443/socket",
	"http://127.0.0.1:8080/health",
	"https://Example.COM/a%20b/../c#top",
}

// BenchmarkParseURL compares the engine's URL parser with net/url.Parse on
// ordinary URLs (net/url does not follow the URL Standard; it is the
// yardstick of a cheap parse).
func BenchmarkParseURL(b *testing.B) {
	b.Run("impl=engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range benchURLs {
				if _, err := ParseURL(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("impl=net-url", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range benchURLs {
				if _, err := url.Parse(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
