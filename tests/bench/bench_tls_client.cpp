// TLS load client for https.sh. Two modes:
//
//   bench_tls_client handshakes --port P [--sni NAME] [--mode full|resume]
//       [--seconds S] [--threads T] [--path PATH] [--auth USER:PASS] [--tls 1.2|1.3]
//     Each thread opens connections one after another for S seconds: TCP
//     connect, TLS handshake, one GET PATH (Connection: close), read the
//     answer to the end, close. "full" never offers a session: every
//     handshake is a full one. "resume" offers the newest session ticket
//     received on this thread (TLS 1.3 PSK or TLS 1.2 RFC 5077 ticket; the
//     client keeps no session-ID cache, so server-side session caches do not
//     count) and counts how many handshakes were really resumed.
//     Prints one line: "connections=N seconds=S conn_per_s=R resumed=K
//     tickets=K2 errors=E protocol=TLSv1.3".
//
//   bench_tls_client idle --port P --count N [--tls] [--sni NAME] [--path PATH]
//       [--auth USER:PASS]
//     Opens N connections (with --tls: handshake too), sends one keep-alive
//     GET on each and reads its answer, then prints "READY N" and keeps them
//     all open and idle until stdin reaches EOF; then closes them and exits.
//     Raises RLIMIT_NOFILE as needed.
//
// Certificates are not verified: the figures are about the server's cost,
// and verification would only add client CPU on the shared cores. Only
// 127.0.0.1 is ever connected to.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string command;
    uint16_t port = 0;
    std::string sni = "rport.test";
    std::string mode = "full";
    double seconds = 5;
    int threads = 1;
    int count = 2000;
    bool tls = false;
    std::string path = "/api/v1/status";
    std::string auth;     // "user:pass" -> Basic
    std::string version;  // "", "1.2", "1.3"
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr, "bench_tls_client: %s (see the comment at the top of the source)\n", why);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    if (argc < 2) usage("missing command");
    Options o;
    o.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--port")
            o.port = static_cast<uint16_t>(std::stoi(value()));
        else if (a == "--sni")
            o.sni = value();
        else if (a == "--mode")
            o.mode = value();
        else if (a == "--seconds")
            o.seconds = std::stod(value());
        else if (a == "--threads")
            o.threads = std::stoi(value());
        else if (a == "--count")
            o.count = std::stoi(value());
        else if (a == "--tls")
            o.tls = true;
        else if (a == "--path")
            o.path = value();
        else if (a == "--auth")
            o.auth = value();
        else if (a == "--tls-version")
            o.version = value();
        else
            usage(("unknown option " + a).c_str());
    }
    if (o.port == 0) usage("--port is required");
    if (o.mode != "full" && o.mode != "resume") usage("--mode must be full or resume");
    return o;
}

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v =
            (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16;
        out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
    }
    return out;
}

std::string request(const Options& o, bool keepAlive) {
    std::string r = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.sni + "\r\n";
    if (!o.auth.empty()) r += "Authorization: Basic " + base64(o.auth) + "\r\n";
    r += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return r;
}

int connectLoopback(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

SSL_CTX* makeContext(const Options& o) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) throw std::runtime_error("SSL_CTX_new failed");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (o.version == "1.2") SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    if (o.version == "1.3") SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    // Sessions are kept by hand (newest ticket per thread), never by an
    // internal cache; without "resume" none is ever offered.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    return ctx;
}

// Per-thread holder of the newest session received (set by the callback).
struct SessionSlot {
    SSL_SESSION* session = nullptr;
    ~SessionSlot() {
        if (session) SSL_SESSION_free(session);
    }
};
int slotIndex = -1;

int onNewSession(SSL* ssl, SSL_SESSION* session) {
    auto* slot = static_cast<SessionSlot*>(SSL_get_ex_data(ssl, slotIndex));
    if (!slot || !SSL_SESSION_has_ticket(session)) return 0;  // keep only ticket sessions
    if (slot->session) SSL_SESSION_free(slot->session);
    slot->session = session;
    return 1;  // we keep the reference
}

// Reads one HTTP response (Content-Length or until close). False on error.
template <typename ReadFn>
bool readResponse(ReadFn read, bool untilClose) {
    std::string buf;
    char chunk[8192];
    size_t headEnd = std::string::npos;
    long length = -1;
    for (;;) {
        if (headEnd == std::string::npos) {
            headEnd = buf.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                if (buf.compare(0, 12, "HTTP/1.1 200") != 0 &&
                    buf.compare(0, 12, "HTTP/1.0 200") != 0)
                    return false;
                std::string head = buf.substr(0, headEnd);
                for (auto& c : head)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                size_t p = head.find("\r\ncontent-length:");
                if (p != std::string::npos) length = std::atol(head.c_str() + p + 17);
            }
        }
        if (headEnd != std::string::npos && !untilClose && length >= 0 &&
            buf.size() >= headEnd + 4 + static_cast<size_t>(length))
            return true;
        int n = read(chunk, static_cast<int>(sizeof chunk));
        if (n <= 0) return headEnd != std::string::npos && (untilClose || length < 0);
        buf.append(chunk, static_cast<size_t>(n));
    }
}

struct HandshakeStats {
    long connections = 0, resumed = 0, errors = 0, tickets = 0;
    std::string protocol;
};

void handshakeThread(const Options& o, SSL_CTX* ctx, Clock::time_point end, HandshakeStats& st) {
    SessionSlot slot;
    const std::string req = request(o, false);
    while (Clock::now() < end) {
        int fd = connectLoopback(o.port);
        if (fd < 0) {
            ++st.errors;
            continue;
        }
        SSL* ssl = SSL_new(ctx);
        SSL_set_ex_data(ssl, slotIndex, &slot);
        SSL_set_tlsext_host_name(ssl, o.sni.c_str());
        SSL_set_fd(ssl, fd);
        if (o.mode == "resume" && slot.session) SSL_set_session(ssl, slot.session);
        bool ok = SSL_connect(ssl) == 1;
        if (ok) {
            if (SSL_session_reused(ssl)) ++st.resumed;
            if (st.protocol.empty()) st.protocol = SSL_get_version(ssl);
            ok = SSL_write(ssl, req.data(), static_cast<int>(req.size())) > 0 &&
                 readResponse([&](char* b, int n) { return SSL_read(ssl, b, n); }, true);
        }
        if (ok) {
            ++st.connections;
            SSL_shutdown(ssl);
        } else {
            ++st.errors;
        }
        ERR_clear_error();
        SSL_free(ssl);
        ::close(fd);
    }
    st.tickets = slot.session ? 1 : 0;
}

int handshakes(const Options& o) {
    SSL_CTX* ctx = makeContext(o);
    SSL_CTX_sess_set_new_cb(ctx, onNewSession);
    std::vector<HandshakeStats> stats(static_cast<size_t>(o.threads));
    std::vector<std::thread> threads;
    auto start = Clock::now();
    auto end = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(o.seconds));
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back(handshakeThread, std::cref(o), ctx, end,
                             std::ref(stats[static_cast<size_t>(t)]));
    for (auto& t : threads) t.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    HandshakeStats sum;
    for (const auto& s : stats) {
        sum.connections += s.connections;
        sum.resumed += s.resumed;
        sum.errors += s.errors;
        sum.tickets += s.tickets;
        if (sum.protocol.empty()) sum.protocol = s.protocol;
    }
    std::printf(
        "connections=%ld seconds=%.3f conn_per_s=%.1f resumed=%ld tickets=%ld errors=%ld "
        "protocol=%s\n",
        sum.connections, elapsed, sum.connections / elapsed, sum.resumed, sum.tickets, sum.errors,
        sum.protocol.empty() ? "none" : sum.protocol.c_str());
    SSL_CTX_free(ctx);
    return sum.connections > 0 ? 0 : 1;
}

int idle(const Options& o) {
    rlimit rl{};
    ::getrlimit(RLIMIT_NOFILE, &rl);
    rlim_t want = static_cast<rlim_t>(o.count) + 64;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = std::min(want, rl.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < want) usage("RLIMIT_NOFILE too low for --count (raise the hard limit)");
    }
    SSL_CTX* ctx = o.tls ? makeContext(o) : nullptr;
    const std::string req = request(o, true);
    std::vector<int> fds;
    std::vector<SSL*> ssls;
    for (int i = 0; i < o.count; ++i) {
        int fd = connectLoopback(o.port);
        if (fd < 0) {
            std::fprintf(stderr, "connect %d failed: %s\n", i, std::strerror(errno));
            return 1;
        }
        fds.push_back(fd);
        bool ok;
        if (ctx) {
            SSL* ssl = SSL_new(ctx);
            SSL_set_tlsext_host_name(ssl, o.sni.c_str());
            SSL_set_fd(ssl, fd);
            ssls.push_back(ssl);
            ok = SSL_connect(ssl) == 1 &&
                 SSL_write(ssl, req.data(), static_cast<int>(req.size())) > 0 &&
                 readResponse([&](char* b, int n) { return SSL_read(ssl, b, n); }, false);
        } else {
            ok = ::send(fd, req.data(), req.size(), MSG_NOSIGNAL) ==
                     static_cast<ssize_t>(req.size()) &&
                 readResponse(
                     [&](char* b, int n) {
                         return static_cast<int>(::recv(fd, b, static_cast<size_t>(n), 0));
                     },
                     false);
        }
        if (!ok) {
            std::fprintf(stderr, "connection %d: handshake or request failed\n", i);
            ERR_print_errors_fp(stderr);
            return 1;
        }
    }
    std::printf("READY %d\n", o.count);
    std::fflush(stdout);
    char c;
    while (::read(0, &c, 1) > 0) {
    }
    for (SSL* s : ssls) SSL_free(s);
    for (int fd : fds) ::close(fd);
    if (ctx) SSL_CTX_free(ctx);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    slotIndex = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    if (o.command == "handshakes") return handshakes(o);
    if (o.command == "idle") return idle(o);
    usage("command must be handshakes or idle");
}
