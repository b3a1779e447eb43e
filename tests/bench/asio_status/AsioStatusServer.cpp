// asio_status_server: rportd's `GET /api/v1/status` (HTTP Basic auth, fixed
// JSON body) on Boost.Asio with Beast's HTTP/1 request parser, written to be
// as cheap per request as Asio allows. It exists to compare a network core
// built on Asio/Beast with rportd's own epoll server in host/http (see
// tests/bench/core_choice.sh); it is not part of rportd.
//
// Threads: one io_context per thread (concurrency hint 1), each run by one
// thread. One acceptor on the first context hands accepted sockets round-robin
// to the contexts (the socket is opened on its target context, then the session
// starts there), so a connection lives on one thread and needs no strand.
//
// Per request: Beast's request_parser<string_body> (header limit 16 KiB, body
// limit 10 KiB, like rportd's defaults), a method + target check, the
// Authorization header's Basic credentials decoded and compared in constant
// time with the configured user:password, and an answer with Content-Type,
// Content-Length, Date (formatted once per second per thread) and, when the
// request asks for it, Connection. Idle connections are closed after 15 s,
// requests that take longer than 10 s to arrive are dropped (rportd's
// defaults); a per-thread sweep timer checks the deadlines once a second, so
// a request costs one clock read instead of a timer operation.
//
// Three I/O modes (--mode):
//   read  (default) socket.async_read_some into a per-connection flat_buffer,
//         Beast's parser fed with parser.put(), the response head written by
//         hand and sent with the body as one gathered async_write. Asio reads
//         in its reactor, so an idle connection keeps its read buffer.
//   wait  socket.async_wait(wait_read), then non-blocking reads into one
//         buffer per thread; only a partial request is copied into the
//         connection, so idle connections hold no read buffer (rportd's own
//         model). Costs one epoll_ctl per wait in Asio 1.74's reactor.
//   beast the idiomatic Beast way: http::async_read with the parser,
//         http::response<span_body> and http::async_write.
//
// usage: asio_status_server [--threads N] [--listen 127.0.0.1:PORT]
//            [--user USER:PASSWORD] [--body-file FILE] [--mode read|wait|beast]
// Prints the bound port on stdout, runs until SIGINT or SIGTERM.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "StatusRoute.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

using namespace status_route;

namespace {

constexpr std::uint32_t kHeaderLimit = 16384;
constexpr std::uint64_t kBodyLimit = 10240;
constexpr auto kKeepAliveTimeout = std::chrono::seconds(15);
constexpr auto kReadTimeout = std::chrono::seconds(10);
constexpr std::size_t kConnectionReadChunk = 1024;  // --mode read: per-connection buffer step
constexpr std::size_t kThreadReadBuffer = 16384;    // --mode wait: one per thread

enum class Mode { Read, Wait, Beast };

struct Config {
    std::string body{kDefaultBody};
    std::string credentials = "admin:foobaz";  // user:password
    std::string unauthorizedBody{kUnauthorizedBody};
    std::string notFoundBody{kNotFoundBody};
    Mode mode = Mode::Read;
};

// --- the answer --------------------------------------------------------------

constexpr std::size_t kDateLength = 29;

// "Sun, 06 Nov 1994 08:49:37 GMT", English whatever the locale; once per second per thread.
std::string_view httpDate() {
    thread_local std::time_t cachedSecond = -1;
    thread_local char cached[64];  // room for any int snprintf may print
    std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        static const char kDays[] = "SunMonTueWedThuFriSat";
        static const char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        std::tm t{};
        gmtime_r(&now, &t);
        std::snprintf(cached, sizeof cached, "%.3s, %02d %.3s %04d %02d:%02d:%02d GMT", kDays + 3 * t.tm_wday,
                      t.tm_mday, kMonths + 3 * t.tm_mon, t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
        cachedSecond = now;
    }
    return std::string_view(cached, kDateLength);
}

struct Answer {
    http::status status;
    const std::string* body;
};

Answer answer(const Config& config, const http::request<http::string_body>& request) {
    if (request.target() != beast::string_view(kStatusPath.data(), kStatusPath.size()) ||
        (request.method() != http::verb::get && request.method() != http::verb::head)) {
        return {http::status::not_found, &config.notFoundBody};
    }
    auto auth = request.find(http::field::authorization);
    if (auth == request.end() ||
        !authorized(std::string_view(auth->value().data(), auth->value().size()), config.credentials)) {
        return {http::status::unauthorized, &config.unauthorizedBody};
    }
    return {http::status::ok, &config.body};
}

void appendNumber(std::string& out, std::size_t value) {
    char digits[24];
    int n = std::snprintf(digits, sizeof digits, "%zu", value);
    out.append(digits, static_cast<std::size_t>(n));
}

// The head rportd's ResponseWriter would produce for this answer.
void writeHead(std::string& out, const Answer& a, bool keepAlive, unsigned version) {
    out.clear();
    switch (a.status) {
        case http::status::ok: out += "HTTP/1.1 200 OK\r\n"; break;
        case http::status::unauthorized: out += "HTTP/1.1 401 Unauthorized\r\n"; break;
        default: out += "HTTP/1.1 404 Not Found\r\n"; break;
    }
    out += "Content-Type: application/json; charset=UTF-8\r\nContent-Length: ";
    appendNumber(out, a.body->size());
    out += "\r\nDate: ";
    out += httpDate();
    out += "\r\n";
    if (!keepAlive) {
        out += "Connection: close\r\n";
    } else if (version == 10) {
        out += "Connection: keep-alive\r\n";
    }
    out += "\r\n";
}

// --- connections ---------------------------------------------------------------

class Session;

// One per thread: its io_context, its connections (for the deadline sweep) and,
// for --mode wait, its read buffer.
struct Loop {
    Loop() : context(1), sweepTimer(context) {}
    net::io_context context;
    net::steady_timer sweepTimer;
    Session* sessions = nullptr;  // intrusive list, touched by this thread only
    std::unique_ptr<char[]> readBuffer{new char[kThreadReadBuffer]};

    void startSweeping();
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Loop& loop, const Config& config)
        : _socket(std::move(socket)), _loop(loop), _config(config) {
        _next = _loop.sessions;
        if (_next) _next->_prev = this;
        _loop.sessions = this;
    }
    ~Session() {
        if (_prev) _prev->_next = _next; else _loop.sessions = _next;
        if (_next) _next->_prev = _prev;
    }

    void start() {
        boost::system::error_code ignored;
        _socket.set_option(tcp::no_delay(true), ignored);
        if (_config.mode == Mode::Wait) _socket.non_blocking(true, ignored);
        _deadline = Clock::now() + kKeepAliveTimeout;
        newParser();
        switch (_config.mode) {
            case Mode::Read: readSome(); break;
            case Mode::Wait: waitReadable(); break;
            case Mode::Beast: beastRead(); break;
        }
    }

    // Called by the sweep: closing makes the pending operation fail, which
    // drops the last reference.
    void expireIfDue(Clock::time_point now) {
        if (now >= _deadline) {
            boost::system::error_code ignored;
            _socket.close(ignored);
        }
    }
    Session* next() const { return _next; }

private:
    void newParser() {
        _parser.emplace();
        _parser->header_limit(kHeaderLimit);
        _parser->body_limit(kBodyLimit);
        _parser->eager(true);
        _requestStarted = false;
    }

    void noteInput() {
        if (!_requestStarted) {
            _requestStarted = true;
            _deadline = Clock::now() + kReadTimeout;
        }
    }

    // Feeds `data` to the parser; returns bytes used, sets `failed` on a bad request.
    std::size_t parse(const char* data, std::size_t size, bool& failed) {
        std::size_t used = 0;
        failed = false;
        while (used < size && !_parser->is_done()) {
            beast::error_code ec;
            std::size_t n = _parser->put(net::const_buffer(data + used, size - used), ec);
            used += n;
            if (ec == http::error::need_more) break;
            if (ec) {
                failed = true;
                break;
            }
            if (n == 0) break;
        }
        return used;
    }

    // --mode read ---------------------------------------------------------------
    void readSome() {
        _socket.async_read_some(_buffer.prepare(kConnectionReadChunk),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    if (ec) return;
                                    self->_buffer.commit(n);
                                    self->onBuffered();
                                });
    }

    void onBuffered() {
        noteInput();
        bool failed = false;
        auto data = _buffer.data();
        _buffer.consume(parse(static_cast<const char*>(data.data()), data.size(), failed));
        if (failed) return badRequest();
        if (!_parser->is_done()) {
            if (_buffer.size() >= kHeaderLimit + kBodyLimit) return badRequest();
            return readSome();
        }
        respond();
    }

    // --mode wait ---------------------------------------------------------------
    void waitReadable() {
        _socket.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
            if (!ec) self->onReadable();
        });
    }

    void onReadable() {
        char* chunk = _loop.readBuffer.get();
        beast::error_code ec;
        std::size_t n = _socket.read_some(net::buffer(chunk, kThreadReadBuffer), ec);
        if (ec == net::error::would_block) return waitReadable();
        if (ec) return;
        noteInput();
        bool failed = false;
        if (_buffer.size() == 0) {
            // The usual case: the whole request in this read, parsed in place.
            std::size_t used = parse(chunk, n, failed);
            if (failed) return badRequest();
            if (used < n) {
                auto space = _buffer.prepare(n - used);
                std::memcpy(space.data(), chunk + used, n - used);
                _buffer.commit(n - used);
            }
        } else {
            if (_buffer.size() + n > _buffer.max_size()) return badRequest();
            auto space = _buffer.prepare(n);
            std::memcpy(space.data(), chunk, n);
            _buffer.commit(n);
            auto data = _buffer.data();
            _buffer.consume(parse(static_cast<const char*>(data.data()), data.size(), failed));
            if (failed) return badRequest();
        }
        if (!_parser->is_done()) {
            if (_buffer.size() >= kHeaderLimit + kBodyLimit) return badRequest();
            return onReadable();  // read on until EAGAIN
        }
        respond();
    }

    // --mode read and wait: answer, then the next request -----------------------
    void respond() {
        auto& request = _parser->get();
        _keepAlive = request.keep_alive();
        Answer a = answer(_config, request);
        writeHead(_head, a, _keepAlive, request.version());
        std::array<net::const_buffer, 2> out{net::buffer(_head),
                                             net::buffer(request.method() == http::verb::head
                                                             ? std::string_view()
                                                             : std::string_view(*a.body))};
        net::async_write(_socket, out, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->afterResponse();
        });
    }

    void afterResponse() {
        if (!_keepAlive) return shutdown();
        _deadline = Clock::now() + kKeepAliveTimeout;
        newParser();
        if (_buffer.size() > 0) {  // a pipelined request is already here
            if (_config.mode == Mode::Read) return onBuffered();
            bool failed = false;
            auto data = _buffer.data();
            noteInput();
            _buffer.consume(parse(static_cast<const char*>(data.data()), data.size(), failed));
            if (failed) return badRequest();
            if (_parser->is_done()) return respond();
        }
        if (_config.mode == Mode::Read) return readSome();
        if (_buffer.size() == 0) _buffer.shrink_to_fit();  // idle: no buffer held
        waitReadable();
    }

    void badRequest() {
        static const std::string kHead =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n";
        net::async_write(_socket, net::buffer(kHead),
                         [self = shared_from_this()](beast::error_code, std::size_t) { self->shutdown(); });
    }

    void shutdown() {
        boost::system::error_code ignored;
        _socket.shutdown(tcp::socket::shutdown_send, ignored);
    }

    // --mode beast ----------------------------------------------------------------
    void beastRead() {
        http::async_read(_socket, _buffer, *_parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec == http::error::end_of_stream) return self->shutdown();
            if (ec) {
                if (ec != net::error::operation_aborted && ec != net::error::eof &&
                    ec != net::error::connection_reset)
                    self->badRequest();
                return;
            }
            self->beastRespond();
        });
    }

    void beastRespond() {
        auto& request = _parser->get();
        Answer a = answer(_config, request);
        _response.emplace(a.status, request.version());
        _response->set(http::field::content_type, "application/json; charset=UTF-8");
        std::string_view date = httpDate();
        _response->set(http::field::date, beast::string_view(date.data(), date.size()));
        _response->body() = http::span_body<const char>::value_type(a.body->data(), a.body->size());
        _response->keep_alive(request.keep_alive());
        _response->prepare_payload();
        http::async_write(_socket, *_response, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            bool keepAlive = self->_response->keep_alive();
            self->_response.reset();
            if (!keepAlive) return self->shutdown();
            self->_deadline = Clock::now() + kKeepAliveTimeout;
            self->newParser();
            self->beastRead();
        });
    }

    tcp::socket _socket;
    Loop& _loop;
    const Config& _config;
    Session* _prev = nullptr;
    Session* _next = nullptr;
    beast::flat_buffer _buffer{kHeaderLimit + kBodyLimit + kConnectionReadChunk};
    std::optional<http::request_parser<http::string_body>> _parser;
    std::optional<http::response<http::span_body<const char>>> _response;  // --mode beast
    std::string _head;
    Clock::time_point _deadline;
    bool _requestStarted = false;
    bool _keepAlive = true;
};

void Loop::startSweeping() {
    sweepTimer.expires_after(std::chrono::seconds(1));
    sweepTimer.async_wait([this](beast::error_code ec) {
        if (ec) return;
        Clock::time_point now = Clock::now();
        for (Session* s = sessions; s != nullptr; s = s->next()) s->expireIfDue(now);
        startSweeping();
    });
}

class Server {
public:
    Server(int threads, const Config& config) : _config(config), _loops(static_cast<std::size_t>(threads)) {
        for (auto& loop : _loops) loop = std::make_unique<Loop>();
        _acceptor.emplace(_loops[0]->context);
    }

    unsigned short listen(const std::string& hostPort) {
        std::size_t colon = hostPort.rfind(':');
        std::string host = hostPort.substr(0, colon);
        if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
        auto port = static_cast<unsigned short>(std::stoi(hostPort.substr(colon + 1)));
        tcp::endpoint endpoint(host.empty() ? net::ip::address_v4::any() : net::ip::make_address(host), port);
        _acceptor->open(endpoint.protocol());
        _acceptor->set_option(tcp::acceptor::reuse_address(true));
        _acceptor->bind(endpoint);
        _acceptor->listen(1024);
        return _acceptor->local_endpoint().port();
    }

    void run() {
        accept();
        for (auto& loop : _loops) loop->startSweeping();
        net::signal_set signals(_loops[0]->context, SIGINT, SIGTERM);
        signals.async_wait([this](beast::error_code, int) {
            for (auto& loop : _loops) loop->context.stop();
        });
        std::vector<std::thread> threads;
        for (std::size_t i = 1; i < _loops.size(); ++i) threads.emplace_back([this, i] { _loops[i]->context.run(); });
        _loops[0]->context.run();
        for (auto& t : threads) t.join();
    }

private:
    void accept() {
        Loop& target = *_loops[_nextLoop];
        _nextLoop = (_nextLoop + 1) % _loops.size();
        _acceptor->async_accept(target.context, [this, &target](beast::error_code ec, tcp::socket socket) {
            if (!ec) {
                // Start on the socket's own thread: its session is that thread's alone.
                net::post(target.context, [this, &target, s = std::move(socket)]() mutable {
                    std::make_shared<Session>(std::move(s), target, _config)->start();
                });
            }
            if (ec != net::error::operation_aborted) accept();
        });
    }

    const Config& _config;
    std::vector<std::unique_ptr<Loop>> _loops;
    std::optional<tcp::acceptor> _acceptor;
    std::size_t _nextLoop = 0;
};

}  // namespace

int main(int argc, char** argv) {
    Config config;
    int threads = 2;
    std::string address = "127.0.0.1:0";
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        bool hasValue = i + 1 < argc;
        if (arg == "--threads" && hasValue) {
            threads = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--listen" && hasValue) {
            address = argv[++i];
        } else if (arg == "--user" && hasValue) {
            config.credentials = argv[++i];
        } else if (arg == "--body-file" && hasValue) {
            std::ifstream in(argv[++i], std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "cannot read %s\n", argv[i]);
                return 2;
            }
            config.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        } else if (arg == "--mode" && hasValue) {
            std::string_view mode = argv[++i];
            if (mode == "read") config.mode = Mode::Read;
            else if (mode == "wait") config.mode = Mode::Wait;
            else if (mode == "beast") config.mode = Mode::Beast;
            else {
                std::fprintf(stderr, "--mode: read, wait or beast\n");
                return 2;
            }
        } else {
            std::fprintf(stderr,
                         "usage: %s [--threads N] [--listen HOST:PORT] [--user USER:PASSWORD] [--body-file FILE] "
                         "[--mode read|wait|beast]\n",
                         argv[0]);
            return 2;
        }
    }
    try {
        Server server(threads, config);
        unsigned short port = server.listen(address);
        std::printf("%u\n", port);
        std::fflush(stdout);
        server.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "asio_status_server: %s\n", e.what());
        return 1;
    }
    return 0;
}
