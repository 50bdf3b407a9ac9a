package main

// secretEnvVars pairs each secret parameter with the environment variable
// host-sim reads it from when the instance leaves it unset. The names are
// host-sim's (internal/host is a host for any integration and knows none).
func secretEnvVars() [][2]string {
	return [][2]string{
		{"apikey", "OPENAI_API_KEY"},
		{"admin_api_key", "OPENAI_ADMIN_KEY"},
		{"compliance_api_key", "OPENAI_COMPLIANCE_KEY"},
	}
}

// secretEnv is host.SecretEnv over a.getenv.
func (a *app) secretEnv(param string) (envVar, value string) {
	for _, p := range secretEnvVars() {
		if p[0] == param {
			return p[1], a.getenv(p[1])
		}
	}
	return "", ""
}
