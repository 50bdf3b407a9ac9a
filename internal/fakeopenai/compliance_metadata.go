package fakeopenai

import (
	"fmt"
	"hash/fnv"
)

// requestMetadata is where a compliance record says which client made the
// request and from where: the fields SIEM modelling rules map to source
// IP, user agent and geolocation.
type requestMetadata struct {
	ClientIP            string    `json:"client_ip"`
	ClientUserAgent     string    `json:"client_user_agent"`
	ClientIPDetails     ipDetails `json:"client_ip_details"`
	DestinationHostname string    `json:"destination_hostname"`
}

type ipDetails struct {
	Country   string  `json:"country"`
	City      string  `json:"city"`
	Region    string  `json:"region"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// place is a client location; addresses come from the documentation
// ranges (RFC 5737, RFC 3849), so no record names a real host.
type place struct {
	ipFormat string // one %d for the host part
	details  ipDetails
}

var places = []place{
	{"203.0.113.%d", ipDetails{"US", "Austin", "Texas", 30.2672, -97.7431}},
	{"198.51.100.%d", ipDetails{"FR", "Paris", "Ile-de-France", 48.8566, 2.3522}},
	{"192.0.2.%d", ipDetails{"DE", "Berlin", "Berlin", 52.52, 13.405}},
	{"2001:db8:4f::%x", ipDetails{"GB", "London", "England", 51.5074, -0.1278}},
	{"203.0.113.%d", ipDetails{"US", "San Francisco", "California", 37.7749, -122.4194}},
}

// userAgents follow the client types of CONVERSATION_MESSAGE records.
var userAgents = map[string]string{
	"web":             "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"ios":             "ChatGPT/1.2025.300 (iOS 18.1; iPhone15,3; build 1234)",
	"android":         "ChatGPT/1.2025.300 (Android 15; Pixel 9; build 2345)",
	"desktop_macos":   "ChatGPT/1.2025.300 (macOS 15.1; arm64; build 3456)",
	"desktop_windows": "ChatGPT/1.2025.300 (Windows 11; x64; build 4567)",
}

// userID is the platform's stable id of a user: one email, one id across
// every record, as the modelling rules join on it.
func userID(email string) string {
	f := fnv.New64a()
	f.Write([]byte(email))
	return fmt.Sprintf("user-%016x%08x", mix(f.Sum64()), uint32(mix(f.Sum64()^0x5eed)))
}

// metadata renders the request_metadata of a record from its hash h.
// API keys call the API host; people use the ChatGPT apps.
func metadata(h uint64, actorType, clientType string) requestMetadata {
	p := pick(places, h>>33)
	m := requestMetadata{
		ClientIP:            fmt.Sprintf(p.ipFormat, h>>40%250+1),
		ClientUserAgent:     userAgents[clientType],
		ClientIPDetails:     p.details,
		DestinationHostname: "chatgpt.com",
	}
	if actorType == "API_KEY" {
		m.ClientUserAgent = "python-httpx/0.28.1"
		m.DestinationHostname = "api.chatgpt.com"
	}
	return m
}
