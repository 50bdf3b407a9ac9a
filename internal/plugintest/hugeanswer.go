package plugintest

import (
	"net/http"
	"strings"
)

// WriteHugeChatAnswer writes a chat completion whose answer is about size
// bytes, streamed without a Content-Length, as a hostile or broken server
// would: the client learns the size only by reading.
func WriteHugeChatAnswer(w http.ResponseWriter, size int) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"id":"c1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"`))
	chunk := []byte(strings.Repeat("a", 64<<10))
	for sent := 0; sent < size; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	w.Write([]byte(`"}}]}`))
}
