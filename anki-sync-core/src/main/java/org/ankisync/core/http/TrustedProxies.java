package org.ankisync.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} header is believed
 * ({@code ANKISYNCD_TRUSTED_PROXIES}: comma-separated addresses or CIDR ranges).
 *
 * <p>The client address is the socket peer, unless the peer is a trusted proxy:
 * then it is the rightmost entry of {@code X-Forwarded-For} that is not itself
 * a trusted proxy (entries further left are whatever the client chose to send,
 * so they are never believed). With no trusted proxies the header is ignored.
 */
public final class TrustedProxies {
    public static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** Parses {@code 10.0.0.1, 192.168.0.0/16, ::1}; throws {@link IllegalArgumentException} naming a bad entry. */
    public static TrustedProxies parse(String commaSeparated) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "'" + entry + "' is not an IP address or CIDR range (host names are not accepted)"));
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a bad prefix length");
                }
            }
            ranges.add(new Range(bytes, bits));
        }
        return new TrustedProxies(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (an IP literal) is one of the trusted proxies. */
    public boolean isTrusted(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && ranges.stream().anyMatch(r -> r.contains(bytes.get()));
    }

    /**
     * The client address of a request from {@code peer} carrying the given
     * {@code X-Forwarded-For} header values (all of them, in order).
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (ranges.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<String> hop = normalize(hops.get(i));
            if (hop.isEmpty()) {
                // A trusted proxy wrote something we cannot read: believe nothing further left.
                return peer;
            }
            if (!isTrusted(hop.get())) {
                return hop.get();
            }
        }
        return peer;
    }

    /** The call with its {@link SyncCall#remoteAddress()} replaced by the client address. */
    public SyncCall resolve(SyncCall call) {
        if (ranges.isEmpty()) {
            return call;
        }
        String client = clientAddress(call.remoteAddress(), call.headers(FORWARDED_FOR));
        return new ForwardingSyncCall(call) {
            @Override
            public String remoteAddress() {
                return client;
            }
        };
    }

    /** An X-Forwarded-For entry as a bare address: without port or brackets; empty if not an IP literal. */
    private static Optional<String> normalize(String hop) {
        String h = hop;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            h = h.substring(1, end);
        } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // IPv4 with port
        }
        return literal(h).isPresent() ? Optional.of(h) : Optional.empty();
    }

    /** The bytes of an IPv4 or IPv6 literal, without any name lookup. */
    private static Optional<byte[]> literal(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.trim();
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (IPV4.matcher(a).matches()) {
            String[] parts = a.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (!IPV6.matcher(a).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(a).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
