<?php
/**
 * Checks one webhook call by the rules of Copernica's PHP verifier (GitHub
 * CopernicaMarketingSoftware/http-signatures-php: CopernicaRequest, Digest, DkimKey, Signature, SignatureString,
 * Verifier), re-implemented here rule by rule so that a receiver built on that library is known to accept Tidings'
 * calls. Two rules are adapted, no others:
 *
 *  - the library wants a keyId under ".copernica.com"; here it must be under the configured signing domain;
 *  - the library reads the TXT record with dns_get_record() (the system resolver); here a UDP query goes to the name
 *    server given in the input, and the TXT text it answers is then parsed exactly as DkimKey does.
 *
 * Everything else is kept as the library does it, oddities included: the digest algorithm token is matched
 * case-sensitively, the digest value is whatever lies between the first and the second '=', the TXT record is split
 * on ';' and '=' without trimming, the Signature header is looked up by its exact name.
 *
 * stdin: JSON { method, requestUri, headers: { name: value } (names as received), bodyBase64, copernicaId,
 *               keyDomain, nameServer: "127.0.0.1:port" }
 * Exit 0 and "verified ..." on stdout when the call verifies; exit 1 and the library's reason on stderr when not.
 */

ini_set('display_errors', 'stderr');
error_reporting(E_ALL);

/** Header names are case-insensitive; the first of a repeated name wins and keeps its original spelling. */
final class NormalizedHeaders
{
    private array $headers = [];
    private array $names = [];

    public function __construct(array $headers)
    {
        foreach ($headers as $name => $value) {
            $lower = strtolower($name);
            if (isset($this->names[$lower])) continue;
            $this->names[$lower] = $name;
            $this->headers[$name] = $value;
        }
    }

    public function all(): array { return $this->headers; }

    public function has(string $name): bool { return isset($this->names[strtolower($name)]); }

    public function get(string $name): string
    {
        $lower = strtolower($name);
        return isset($this->names[$lower]) ? $this->headers[$this->names[$lower]] : '';
    }
}

/** RFC 3230 Digest: the IANA token, matched as written (lower case), then the base64 hash of the body. */
final class Digest
{
    /** Token => PHP hash name; an empty name is a token the library knows but cannot check. */
    private const ALGORITHMS = [
        'adler32' => 'adler32',
        'crc32c' => '',
        'md5' => 'md5',
        'sha' => 'sha1',
        'sha-256' => 'sha256',
        'sha-512' => 'sha512',
        'unixsum' => '',
        'unixcksum' => '',
    ];

    private string $algorithm;
    private string $value;

    public function __construct(string $header)
    {
        // Split at every '=' and keep the first two parts, as the library does: base64 padding is dropped, which
        // base64_decode() tolerates.
        $parts = explode('=', $header);
        $this->algorithm = $parts[0];
        $encoded = $parts[1] ?? '';
        if (!array_key_exists($this->algorithm, self::ALGORITHMS)) throw new Exception('Invalid hashing algorithm');
        if (self::ALGORITHMS[$this->algorithm] === '') throw new Exception('Algorithm not implemented');
        $this->value = (string)base64_decode($encoded);
    }

    public function matches(string $body): bool
    {
        return hash(self::ALGORITHMS[$this->algorithm], $body, true) === $this->value;
    }
}

/** The parameters of a draft-cavage Signature header, parsed with the library's lenient pattern. */
final class Signature
{
    private ?string $keyId = null;
    private ?string $signature = null;
    private ?string $algorithm = null;
    private array $headers = [];

    public function __construct(string $header)
    {
        preg_match_all('/([a-zA-Z]*)="(.*?)"/', $header, $matches, PREG_SET_ORDER);
        $headers = null;
        foreach ($matches as $match) {
            switch ($match[1]) {
                case 'keyId': $this->keyId = $match[2]; break;
                case 'signature': $this->signature = $match[2]; break;
                case 'algorithm': $this->algorithm = $match[2]; break;
                case 'headers': $headers = $match[2]; break;
            }
        }
        if ($this->keyId === null) throw new Exception('KeyId not found in signature header');
        if ($this->signature === null) throw new Exception('Signature not found in signature header');
        if ($headers !== null) $this->headers = explode(' ', $headers);
    }

    public function keyId(): string { return $this->keyId; }
    public function signature(): string { return $this->signature; }
    public function algorithm(): string { return (string)$this->algorithm; }
    public function headers(): array { return $this->headers; }

    public function contains(string $name): bool
    {
        foreach ($this->headers as $listed) {
            if (strtolower($name) == strtolower($listed)) return true;
        }
        return false;
    }
}

/** The signing string: "lower(name): trim(value)" per listed header, joined by "\n"; no list means just date. */
final class SignatureString
{
    private string $text;

    public function __construct(array $names, array $headers)
    {
        if (count($names) === 0) $names = ['date'];
        $lines = [];
        foreach ($names as $name) {
            $value = '';
            foreach ($headers as $header => $headerValue) {
                if (strtolower($header) == strtolower($name)) { $value = $headerValue; break; }
            }
            $lines[] = strtolower($name) . ': ' . trim($value);
        }
        $this->text = implode("\n", $lines);
    }

    public function __toString(): string { return $this->text; }
}

final class Verifier
{
    private array $headers;
    private Signature $signature;

    public function __construct(array $headers, string $method, string $location)
    {
        $this->headers = $headers;
        $this->headers['(request-target)'] = strtolower($method) . ' ' . $location;
        // Looked up by its exact name, as the library does.
        if (!isset($headers['Signature'])) throw new Exception('No signature found');
        $this->signature = new Signature($headers['Signature']);
    }

    public function keyId(): string { return $this->signature->keyId(); }

    public function algorithm(): string { return $this->signature->algorithm(); }

    public function signedHeaders(): array { return $this->signature->headers(); }

    /** Whether the signature covers the header and, when a value is given, whether the request carries that value. */
    public function contains(string $name, ?string $value = null): bool
    {
        if (!$this->signature->contains($name)) return false;
        if ($value === null) return true;
        foreach ($this->headers as $header => $headerValue) {
            if (strtolower($header) == strtolower($name)) return $headerValue == $value;
        }
        return false;
    }

    public function verify(string $key): bool
    {
        $input = (string)new SignatureString($this->signature->headers(), $this->headers);
        $parts = explode('-', strtolower($this->signature->algorithm()));
        $procedure = $parts[0];
        $hash = $parts[1] ?? '';
        switch ($procedure) {
            case 'rsa': return openssl_verify($input, base64_decode($this->signature->signature()), $key, $hash) == 1;
            case 'hmac': return hash_hmac($hash, $input, $key) == base64_decode($this->signature->signature());
            default: return false;
        }
    }
}

/**
 * The TXT records at a name, asked of one name server over UDP (adapted: the library calls dns_get_record()). Each
 * record comes back as dns_get_record() gives it: 'txt' is its character-strings joined without a separator.
 */
final class TxtLookup
{
    public static function records(string $name, string $server): array
    {
        $id = random_int(0, 0xFFFF);
        $query = pack('nnnnnn', $id, 0x0100, 1, 0, 0, 0);
        foreach (explode('.', rtrim($name, '.')) as $label) $query .= chr(strlen($label)) . $label;
        $query .= "\0" . pack('nn', 16, 1); // TXT, IN

        // Loopback UDP is not expected to lose a datagram, but a busy test machine may answer late: ask up to 3 times.
        for ($attempt = 0; $attempt < 3; $attempt++) {
            $socket = stream_socket_client('udp://' . $server, $errno, $error, 2);
            if ($socket === false) throw new Exception("cannot reach name server $server: $error");
            stream_set_timeout($socket, 2);
            fwrite($socket, $query);
            $answer = fread($socket, 65535);
            $timedOut = stream_get_meta_data($socket)['timed_out'];
            fclose($socket);
            if ($timedOut || $answer === false || strlen($answer) < 12) continue;
            $header = unpack('nid/nflags/nqd/nan', $answer);
            if ($header['id'] !== $id) continue;
            if ($header['flags'] & 0x0200) throw new Exception('the DNS answer was truncated');
            if (($header['flags'] & 0x000F) !== 0) throw new Exception('DNS error ' . ($header['flags'] & 0x000F) . " for $name");
            return self::parse($answer, $header['qd'], $header['an']);
        }
        throw new Exception("no answer from name server $server for $name");
    }

    private static function parse(string $message, int $questions, int $answers): array
    {
        $at = 12;
        for ($i = 0; $i < $questions; $i++) { self::name($message, $at); $at += 4; }
        $records = [];
        for ($i = 0; $i < $answers; $i++) {
            $host = self::name($message, $at);
            $fixed = unpack('ntype/nclass/Nttl/nlength', substr($message, $at, 10));
            $at += 10;
            $data = substr($message, $at, $fixed['length']);
            $at += $fixed['length'];
            if ($fixed['type'] !== 16) continue;
            $entries = [];
            for ($j = 0; $j < strlen($data); $j += 1 + ord($data[$j])) $entries[] = substr($data, $j + 1, ord($data[$j]));
            $records[] = ['host' => $host, 'class' => 'IN', 'ttl' => $fixed['ttl'], 'type' => 'TXT', 'txt' => implode('', $entries), 'entries' => $entries];
        }
        return $records;
    }

    /** A domain name at $at (labels, possibly ending in a compression pointer); moves $at past it. */
    private static function name(string $message, int &$at): string
    {
        $labels = [];
        $position = $at;
        $jumped = false;
        for ($guard = 0; $guard < 128; $guard++) {
            $length = ord($message[$position]);
            if ($length === 0) { if (!$jumped) $at = $position + 1; return implode('.', $labels); }
            if (($length & 0xC0) === 0xC0) {
                if (!$jumped) $at = $position + 2;
                $jumped = true;
                $position = (($length & 0x3F) << 8) | ord($message[$position + 1]);
                continue;
            }
            $labels[] = substr($message, $position + 1, $length);
            $position += 1 + $length;
        }
        throw new Exception('malformed name in the DNS answer');
    }
}

/** The public key of a DKIM record at the keyId: the TXT text split on ';' and then '=', nothing trimmed. */
final class DkimKey
{
    private string $key;

    public function __construct(string $name, string $server)
    {
        foreach (TxtLookup::records($name, $server) as $record) {
            $certificate = [];
            foreach (explode(';', $record['txt']) as $tuple) {
                $pair = explode('=', $tuple);
                $certificate[$pair[0]] = $pair[1] ?? null;
            }
            if (($certificate['v'] ?? null) != 'DKIM1') continue;
            // A record written "v=DKIM1; k=rsa; p=..." has the tags " k" and " p" here, so no 'p' and no key.
            $this->key = "-----BEGIN PUBLIC KEY-----\n" . ($certificate['p'] ?? '') . "\n-----END PUBLIC KEY-----\n";
            return;
        }
        throw new Exception('no valid dkim keys found at ' . $name);
    }

    public function __toString(): string { return $this->key; }
}

/** CopernicaRequest's checks, in its order. Returns the key that verified; throws the library's reason otherwise. */
function verifyCopernicaRequest(array $rawHeaders, string $body, string $copernicaId, string $method, string $location, string $keyDomain, string $nameServer): string
{
    $headers = new NormalizedHeaders($rawHeaders);
    if (!$headers->has('digest')) throw new Exception('Digest header is missing');
    if (!$headers->has('date')) throw new Exception('Date header is missing');
    $date = new DateTime($headers->get('date'));
    $now = new DateTime('now', $date->getTimezone());
    if ($now->getTimestamp() - $date->getTimestamp() > 60) throw new Exception('request older than 1 minute');
    if (!$headers->has('x-copernica-id')) throw new Exception('Copernica id header is missing');

    $digest = new Digest($headers->get('digest'));
    if (!$digest->matches($body)) throw new Exception('Digest header does not match body data');

    $verifier = new Verifier($headers->all(), $method, $location);
    // The minimum the library insists on (some of its versions also require content-length and content-type).
    foreach (['Host', 'Date', 'Content-length', 'Content-type', 'Digest', 'x-nonce'] as $required) {
        if (!$verifier->contains($required)) throw new Exception("Invalid signature: the $required header is not included in the signature");
    }
    if (!$verifier->contains('x-copernica-id', $copernicaId)) {
        throw new Exception('invalid signature: the x-copernica-id header is not included in the signature or has an invalid value');
    }

    // Adapted: the library requires /\.copernica\.com$/.
    if (!preg_match('/\.' . preg_quote($keyDomain, '/') . '$/', $verifier->keyId())) {
        throw new Exception("call is not signed by $keyDomain (but by someone else)");
    }

    $key = (string)new DkimKey($verifier->keyId(), $nameServer);
    if (!$verifier->verify($key)) throw new Exception('signature is invalid');
    return $key;
}

$input = json_decode(file_get_contents('php://stdin'), true, 16, JSON_THROW_ON_ERROR);
try {
    $key = verifyCopernicaRequest(
        $input['headers'],
        (string)base64_decode($input['bodyBase64'] ?? ''),
        $input['copernicaId'],
        $input['method'],
        $input['requestUri'],
        $input['keyDomain'],
        $input['nameServer']);
} catch (Exception $e) {
    fwrite(STDERR, 'rejected: ' . $e->getMessage() . "\n");
    exit(1);
}

$details = openssl_pkey_get_details(openssl_pkey_get_public($key));
fwrite(STDOUT, 'verified bits=' . $details['bits'] . "\n");
exit(0);
