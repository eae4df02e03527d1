// Command x509-oracle judges certificate chains with Go's crypto/x509, the verifier Kubernetes runs,
// so kubetls's own verifier can be compared with it verdict for verdict and word for word.
//
// Stdin: a JSON array of cases
//
//	{"id", "leaf", "roots": [...], "intermediates": [...], "at", "dnsName", "keyUsages": [...]}
//
// where leaf, roots and intermediates are paths of PEM files. The leaf file may hold several
// certificates: the first is the leaf, the rest join the intermediates (a server's fullchain), ahead
// of the intermediates files. at is RFC 3339; keyUsages are serverAuth, clientAuth or any.
//
// Stdout: a JSON array of verdicts {"id", "ok", "error", "chains"}, chains as SHA-256 hex of each
// certificate's DER, leaf first. error is err.Error() exactly; it is absent when ok.
//
// Standard library only, so it builds offline from this one file.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"time"
)

type verifyCase struct {
	ID            string   `json:"id"`
	Leaf          string   `json:"leaf"`
	Roots         []string `json:"roots"`
	Intermediates []string `json:"intermediates"`
	At            string   `json:"at"`
	DNSName       string   `json:"dnsName"`
	KeyUsages     []string `json:"keyUsages"`
}

type verdict struct {
	ID     string     `json:"id"`
	OK     bool       `json:"ok"`
	Error  *string    `json:"error,omitempty"`
	Chains [][]string `json:"chains"`
}

var keyUsages = map[string]x509.ExtKeyUsage{
	"serverAuth": x509.ExtKeyUsageServerAuth,
	"clientAuth": x509.ExtKeyUsageClientAuth,
	"any":        x509.ExtKeyUsageAny,
}

func main() {
	var cases []verifyCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "x509-oracle: reading cases from stdin:", err)
		os.Exit(2)
	}
	verdicts := make([]verdict, 0, len(cases))
	for _, c := range cases {
		v, err := judge(c)
		if err != nil {
			// a case the oracle cannot even set up (unreadable file, bad time) is the test's bug
			fmt.Fprintf(os.Stderr, "x509-oracle: case %s: %v\n", c.ID, err)
			os.Exit(2)
		}
		verdicts = append(verdicts, v)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", " ")
	if err := out.Encode(verdicts); err != nil {
		fmt.Fprintln(os.Stderr, "x509-oracle: writing verdicts:", err)
		os.Exit(2)
	}
}

// judge returns Go's verdict on one case; its error is for setup failures, not for Go's refusals.
func judge(c verifyCase) (verdict, error) {
	at, err := time.Parse(time.RFC3339, c.At)
	if err != nil {
		return verdict{}, fmt.Errorf("at: %w", err)
	}
	usages := make([]x509.ExtKeyUsage, 0, len(c.KeyUsages))
	for _, name := range c.KeyUsages {
		usage, known := keyUsages[name]
		if !known {
			return verdict{}, fmt.Errorf("unknown key usage %q", name)
		}
		usages = append(usages, usage)
	}

	leafBlocks, err := readBlocks(c.Leaf)
	if err != nil {
		return verdict{}, err
	}
	leaf, err := x509.ParseCertificate(leafBlocks[0])
	if err != nil {
		return refused(c.ID, err.Error()), nil
	}
	// the leaf file's other certificates first, then each intermediates file in order
	intermediates := x509.NewCertPool()
	if refusal, err := addCerts(intermediates, c.Leaf, leafBlocks[1:]); refusal != "" || err != nil {
		return refused(c.ID, refusal), err
	}
	for _, file := range c.Intermediates {
		if refusal, err := addFile(intermediates, file); refusal != "" || err != nil {
			return refused(c.ID, refusal), err
		}
	}
	// never nil: a nil pool would mean the system's roots
	roots := x509.NewCertPool()
	for _, file := range c.Roots {
		if refusal, err := addFile(roots, file); refusal != "" || err != nil {
			return refused(c.ID, refusal), err
		}
	}

	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   at,
		DNSName:       c.DNSName,
		KeyUsages:     usages,
	})
	if err != nil {
		return refused(c.ID, err.Error()), nil
	}
	v := verdict{ID: c.ID, OK: true, Chains: [][]string{}}
	for _, chain := range chains {
		hashes := make([]string, 0, len(chain))
		for _, cert := range chain {
			sum := sha256.Sum256(cert.Raw)
			hashes = append(hashes, hex.EncodeToString(sum[:]))
		}
		v.Chains = append(v.Chains, hashes)
	}
	return v, nil
}

func refused(id, message string) verdict {
	return verdict{ID: id, OK: false, Error: &message, Chains: [][]string{}}
}

// addFile adds every certificate in a PEM file to pool. A certificate Go refuses to parse comes
// back as the refusal text, prefixed with the file.
func addFile(pool *x509.CertPool, file string) (string, error) {
	blocks, err := readBlocks(file)
	if err != nil {
		return "", err
	}
	return addCerts(pool, file, blocks)
}

func addCerts(pool *x509.CertPool, file string, blocks [][]byte) (string, error) {
	for _, der := range blocks {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return file + ": " + err.Error(), nil
		}
		pool.AddCert(cert)
	}
	return "", nil
}

// readBlocks returns the DER of every CERTIFICATE block in a PEM file, at least one.
func readBlocks(file string) ([][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var blocks [][]byte
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			blocks = append(blocks, block.Bytes)
		}
	}
	if len(blocks) == 0 {
		return nil, fmt.Errorf("%s: no CERTIFICATE block", file)
	}
	return blocks, nil
}
