// The connection state machine (net/Connection) over a scripted transport:
// every WantRead/WantWrite path, the output queue, flow control, unused
// input, pausing, upgrades, the close sequence, deadlines and teardown from
// inside callbacks. Readiness is delivered by hand (LoopRig::event), so each
// step is deterministic.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/epoll.h>

#include <algorithm>

#include "LoopRig.h"
#include "Sanitizers.h"
#include "net/ConnectionSet.h"

using namespace rportd::net;
using namespace rportd::net::test;

namespace {

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& item) {
    return std::find(v.begin(), v.end(), item) != v.end();
}

}  // namespace

class ConnectionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionTest);
    CPPUNIT_TEST(handshakeWaitsForWhatItAsks);
    CPPUNIT_TEST(failedHandshakeDropsWithoutOpening);
    CPPUNIT_TEST(handshakeOnlyExchangeClosesWithoutOpening);
    CPPUNIT_TEST(readWantingWriteWaitsForWritability);
    CPPUNIT_TEST(writeWantingReadWaitsForReadability);
    CPPUNIT_TEST(partialWritesKeepTheSameBuffer);
    CPPUNIT_TEST(frontChunkStaysPutWhileAWriteIsPending);
    CPPUNIT_TEST(smallSendsCoalesce);
    CPPUNIT_TEST(backPressureStopsReadingUntilDrained);
    CPPUNIT_TEST(unusedInputBeyondTheBoundDropsThePeer);
    CPPUNIT_TEST(unusedInputComesBackWithNewBytes);
    CPPUNIT_TEST(pausedInputIsOfferedAgainOnResume);
    CPPUNIT_TEST(replaceSessionHandsOverTheRestOfTheBuffer);
    CPPUNIT_TEST(gracefulCloseFlushesThenShutsDown);
    CPPUNIT_TEST(lingerDiscardsInputUntilEof);
    CPPUNIT_TEST(lingerStopsAtItsByteBudget);
    CPPUNIT_TEST(lingerStopsAtItsTimeBudget);
    CPPUNIT_TEST(peerHangUpIsNotHiddenByAShortRead);
    CPPUNIT_TEST(aBusyPeerYieldsToTheLoop);
    CPPUNIT_TEST(deadlineFires);
    CPPUNIT_TEST(deadlineMovedLaterDoesNotFireEarly);
    CPPUNIT_TEST(deadlineMovedEarlierFiresEarly);
    CPPUNIT_TEST(defaultDeadlineAborts);
    CPPUNIT_TEST(writeStallDropsAPeerThatNeverDrains);
    CPPUNIT_TEST(abortFromEveryCallbackIsSafe);
    CPPUNIT_TEST(closeTimeoutEndsAStuckFlush);
    CPPUNIT_TEST(connectionRefToAClosedConnectionIsDropped);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<LoopRig> rig;
    std::shared_ptr<Script> script;
    std::shared_ptr<Record> record;

    RecordingSession* session(std::unique_ptr<RecordingSession>& holder, const std::string& name = "") {
        holder = std::make_unique<RecordingSession>(record, name);
        return holder.get();
    }

    std::vector<std::string> events() {
        return rig->call([this] { return record->events; });
    }
    std::vector<std::string> inputs() {
        return rig->call([this] { return record->inputs; });
    }
    int readCalls() {
        return rig->call([this] { return script->readCalls; });
    }
    int writeCalls() {
        return rig->call([this] { return script->writeCalls; });
    }
    std::string written() {
        return rig->call([this] { return script->written; });
    }
    void noViolations() {
        std::vector<std::string> v = rig->call([this] { return script->violations; });
        CPPUNIT_ASSERT_EQUAL(std::string(), joined(v));
    }

public:
    void setUp() override {
        rig = std::make_unique<LoopRig>();
        script = std::make_shared<Script>();
        record = std::make_shared<Record>();
    }
    void tearDown() override { rig.reset(); }

    void handshakeWaitsForWhatItAsks() {
        script->add(script->handshakes, {wantRead(), wantWrite(), done()});
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->handshakeCalls; }));
        // Writability does not help a handshake that wants to read.
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->handshakeCalls; }));
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(2, rig->call([this] { return script->handshakeCalls; }));
        // Now it wants to write: readability does not help.
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(2, rig->call([this] { return script->handshakeCalls; }));
        CPPUNIT_ASSERT(!contains(events(), "open"));
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(3, rig->call([this] { return script->handshakeCalls; }));
        CPPUNIT_ASSERT(contains(events(), "open"));
        // Open: the first read happened and found nothing.
        CPPUNIT_ASSERT_EQUAL(1, readCalls());
        CPPUNIT_ASSERT(rig->alive(id));
    }

    void failedHandshakeDropsWithoutOpening() {
        script->add(script->handshakes, {wantRead(), failed()});
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(std::string("closed dtor"), joined(events()));
        CPPUNIT_ASSERT(rig->call([this] { return script->destroyed; }));
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig->openCount.load());
    }

    void handshakeOnlyExchangeClosesWithoutOpening() {
        // An ACME TLS-ALPN-01 validation: the handshake was all; close in order at once.
        script->handshakeOnlyExchange = "an ACME TLS-ALPN-01 validation (acme-tls/1)";
        std::vector<std::pair<LogLevel, std::string>> lines;
        LogSink sink = [&lines](LogLevel level, const std::string& line) { lines.emplace_back(level, line); };
        rig->call([&] { rig->set.setLog(&sink); });
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(std::string("closed dtor"), joined(events()));
        CPPUNIT_ASSERT_EQUAL(0, readCalls());
        CPPUNIT_ASSERT_EQUAL(0, writeCalls());
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->shutdownCalls; }));  // close_notify, FIN
        rig->call([&] { rig->set.setLog(nullptr); });
        CPPUNIT_ASSERT_EQUAL(size_t(1), lines.size());
        CPPUNIT_ASSERT(lines[0].first == LogLevel::Debug);
        CPPUNIT_ASSERT_EQUAL(std::string("handshake with 127.0.0.1:4242 was an ACME TLS-ALPN-01 validation "
                                         "(acme-tls/1); closing"),
                             lines[0].second);
    }

    void readWantingWriteWaitsForWritability() {
        // A TLS key update: the read must write first.
        script->add(script->reads, {wantWrite(), bytes("abc")});
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(1, readCalls());
        rig->event(id, EPOLLIN);  // not what the read waits for
        CPPUNIT_ASSERT_EQUAL(1, readCalls());
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(2, readCalls());
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), joined(inputs()));
        // A short read drained the socket: no read until the next edge.
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(2, readCalls());
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(3, readCalls());
    }

    void writeWantingReadWaitsForReadability() {
        script->add(script->writes, {wantRead()});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) { c.send(std::string_view("hello")); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(1, writeCalls());
        CPPUNIT_ASSERT_EQUAL(size_t(5), rig->call([this] { return rig->set.find(1)->queuedBytes(); }));
        rig->event(id, EPOLLOUT);  // not what the write waits for
        CPPUNIT_ASSERT_EQUAL(1, writeCalls());
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(2, writeCalls());
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), written());
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig->call([this] { return rig->set.find(1)->queuedBytes(); }));
        noViolations();
    }

    void partialWritesKeepTheSameBuffer() {
        std::string big(40000, 'b');
        for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
        script->add(script->writes, {done(1000), wantWrite(), done(5000), wantWrite(), wantWrite(), done()});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [big](Connection& c) { c.send(std::string(big)); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(2, writeCalls());
        // More output while the front chunk waits: it must not disturb it.
        rig->guarded(id, [](Connection& c) {
            c.send(std::string_view("tail-1"));
            c.send(std::string(9000, 't'));
        });
        rig->event(id, EPOLLOUT);  // 5000 more, then WantWrite
        rig->event(id, EPOLLOUT);  // WantWrite again, same bytes
        rig->event(id, EPOLLOUT);  // the rest, then the tail
        CPPUNIT_ASSERT_EQUAL(big + "tail-1" + std::string(9000, 't'), written());
        std::vector<size_t> offered = rig->call([this] { return script->offered; });
        CPPUNIT_ASSERT(offered.size() >= 6);
        CPPUNIT_ASSERT_EQUAL(size_t(40000), offered[0]);
        CPPUNIT_ASSERT_EQUAL(size_t(39000), offered[1]);
        CPPUNIT_ASSERT_EQUAL(size_t(39000), offered[2]);
        CPPUNIT_ASSERT_EQUAL(size_t(34000), offered[3]);
        CPPUNIT_ASSERT_EQUAL(size_t(34000), offered[4]);
        CPPUNIT_ASSERT_EQUAL(size_t(34000), offered[5]);
        noViolations();
    }

    void frontChunkStaysPutWhileAWriteIsPending() {
        // A short front chunk (small enough for std::string's inline buffer)
        // waits on WantWrite while the session queues more chunks: the retry
        // must see the very same pointer (the TLS contract), however the
        // queue grows meanwhile.
        script->add(script->writes, {wantWrite()});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) { c.send(std::string_view("hi")); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(1, writeCalls());
        rig->guarded(id, [](Connection& c) {
            for (int i = 0; i < 40; ++i) c.send(std::string(5000, static_cast<char>('A' + i % 26)));
        });
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(size_t(2 + 40 * 5000), written().size());
        noViolations();
    }

    void smallSendsCoalesce() {
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) {
            for (char ch = 'a'; ch <= 'j'; ++ch) c.send(std::string(1, ch));
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(1, writeCalls());
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefghij"), written());
        // While a front chunk is pending, small sends gather behind it, not in it.
        script->add(script->writes, {wantWrite()});
        rig->guarded(id, [](Connection& c) { c.send(std::string_view("12")); });
        rig->guarded(id, [](Connection& c) {
            c.send(std::string_view("34"));
            c.send(std::string("56"));
            c.send(std::string_view("78"));
        });
        rig->event(id, EPOLLOUT);
        std::vector<size_t> offered = rig->call([this] { return script->offered; });
        CPPUNIT_ASSERT_EQUAL(size_t(4), offered.size());
        CPPUNIT_ASSERT_EQUAL(size_t(2), offered[1]);  // "12": WantWrite
        CPPUNIT_ASSERT_EQUAL(size_t(2), offered[2]);  // "12" again
        CPPUNIT_ASSERT_EQUAL(size_t(6), offered[3]);  // "345678" in one write
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefghij12345678"), written());
        noViolations();
    }

    void backPressureStopsReadingUntilDrained() {
        rig->limits.highWater = 1000;
        rig->limits.lowWater = 200;
        script->writeDefault = wantWrite();
        script->add(script->reads, {bytes("ping")});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) { c.send(std::string(1500, 'o')); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(0, readCalls());
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(0, readCalls());
        script->add(script->writes, {done(600)});  // 900 left: above the low-water mark
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(0, readCalls());
        CPPUNIT_ASSERT(!contains(events(), "drained"));
        script->add(script->writes, {done(800)});  // 100 left: below it
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT(contains(events(), "drained"));
        CPPUNIT_ASSERT_EQUAL(std::string("ping"), joined(inputs()));
        // Drained first, then reading resumed.
        std::vector<std::string> e = events();
        CPPUNIT_ASSERT(std::find(e.begin(), e.end(), "drained") < std::find(e.begin(), e.end(), "input:ping"));
        noViolations();
    }

    void unusedInputBeyondTheBoundDropsThePeer() {
        rig->limits.maxUnusedInput = 100;
        script->add(script->reads, {filler(60)});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenInput = [](Connection&, std::string_view) { return size_t(0); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(rig->alive(id));
        script->add(script->reads, {filler(60)});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT(!rig->alive(id));
        std::vector<std::string> in = inputs();
        CPPUNIT_ASSERT_EQUAL(size_t(2), in.size());
        CPPUNIT_ASSERT_EQUAL(size_t(120), in[1].size());
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return record->closed; }));
    }

    void unusedInputComesBackWithNewBytes() {
        script->add(script->reads, {bytes("abcd")});
        std::unique_ptr<RecordingSession> s;
        // Uses two bytes at a time, and only whole pairs.
        session(s)->whenInput = [](Connection&, std::string_view b) { return b.size() >= 2 ? size_t(2) : size_t(0); };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd cd"), joined(inputs()));
        script->add(script->reads, {bytes("e")});
        rig->event(id, EPOLLIN);
        script->add(script->reads, {bytes("fg")});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(std::string("abcd cd e efg g"), joined(inputs()));
    }

    void pausedInputIsOfferedAgainOnResume() {
        script->add(script->reads, {bytes("AB")});
        std::unique_ptr<RecordingSession> s;
        // Takes one byte of its first input and pauses (as if waiting for a blocking call).
        session(s)->whenInput = [first = true](Connection& c, std::string_view b) mutable {
            if (!first) return b.size();
            first = false;
            c.pauseInput();
            return size_t(1);
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(std::string("AB"), joined(inputs()));
        // Paused: readiness does not lead to reads.
        script->add(script->reads, {bytes("C")});
        const int before = readCalls();
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(before, readCalls());
        CPPUNIT_ASSERT(rig->call([this] { return rig->set.find(1)->inputPaused(); }));
        // Resumed from outside any callback, with no socket event: the held "B" comes first, then the read.
        rig->call([this] {
            rig->set.find(1)->resumeInput();
            return 0;
        });
        std::vector<std::string> in = inputs();
        CPPUNIT_ASSERT_EQUAL(size_t(3), in.size());
        CPPUNIT_ASSERT_EQUAL(std::string("B"), in[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("C"), in[2]);
    }

    void replaceSessionHandsOverTheRestOfTheBuffer() {
        script->add(script->reads, {bytes("UPGRADE\nframe-1")});
        std::unique_ptr<RecordingSession> s;
        auto rec = record;
        session(s, "A")->whenInput = [rec](Connection& c, std::string_view b) {
            size_t end = b.find('\n');
            if (end == std::string_view::npos) return size_t(0);
            c.replaceSession(std::make_unique<RecordingSession>(rec, "B"));
            return end + 1;
        };
        const uint64_t id = rig->open(script, std::move(s));
        // B opens inside A's call; A lives until that call returns; B gets the rest of the same buffer.
        CPPUNIT_ASSERT_EQUAL(std::string("A.open A.input:UPGRADE\nframe-1 B.open A.inputEnd B.input:frame-1 "
                                         "B.inputEnd A.dtor"),
                             joined(events()));
        script->add(script->reads, {bytes("frame-2")});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT_EQUAL(std::string("B.input:frame-2"), events()[7]);
    }

    void gracefulCloseFlushesThenShutsDown() {
        script->add(script->reads, {bytes("bye")});
        script->add(script->writes, {wantWrite(), done()});
        script->add(script->shutdowns, {wantWrite(), done()});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenInput = [](Connection& c, std::string_view b) {
            c.send(std::string_view("goodbye"));
            c.close();
            return b.size();
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(rig->call([this] { return rig->set.find(1)->closing(); }));
        CPPUNIT_ASSERT_EQUAL(0, rig->call([this] { return script->shutdownCalls; }));
        rig->event(id, EPOLLOUT);  // flushed; shutdownWrite wants to write
        CPPUNIT_ASSERT_EQUAL(std::string("goodbye"), written());
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->shutdownCalls; }));
        CPPUNIT_ASSERT(rig->alive(id));
        rig->event(id, EPOLLIN);  // not what the shutdown waits for
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->shutdownCalls; }));
        rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT_EQUAL(2, rig->call([this] { return script->shutdownCalls; }));
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return record->closed; }));
        // Send after close is accepted until the end; nothing after it was read.
        CPPUNIT_ASSERT_EQUAL(1, readCalls());
        noViolations();
    }

    void lingerDiscardsInputUntilEof() {
        script->add(script->reads, {bytes("bad")});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenInput = [](Connection& c, std::string_view b) {
            c.send(std::string_view("400"));
            c.close(Connection::CloseMode::Linger);
            return b.size();
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT_EQUAL(std::string("400"), written());
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->shutdownCalls; }));
        CPPUNIT_ASSERT(rig->alive(id));  // lingering
        script->add(script->reads, {filler(5000), bytes("junk"), wantRead()});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT(rig->alive(id));
        script->add(script->reads, {closed()});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(std::string("bad"), joined(inputs()));  // the session saw none of it
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig->call([this] { return script->left(script->reads); }));
    }

    void lingerStopsAtItsByteBudget() {
        script->add(script->reads, {bytes("bad")});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenInput = [](Connection& c, std::string_view b) {
            c.close(Connection::CloseMode::Linger);
            return b.size();
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(rig->alive(id));
        // A peer that keeps sending: 256 KiB are discarded, then the connection ends.
        for (int i = 0; i < 20; ++i) script->add(script->reads, {filler(EventLoop::kReadBufferSize)});
        rig->event(id, EPOLLIN);
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(size_t(4), rig->call([this] { return script->left(script->reads); }));
    }

    void lingerStopsAtItsTimeBudget() {
        rig->limits.closeTimeoutMillis = 20000;
        script->add(script->reads, {bytes("bad")});
        std::unique_ptr<RecordingSession> s;
        session(s)->whenInput = [](Connection& c, std::string_view b) {
            c.close(Connection::CloseMode::Linger);
            return b.size();
        };
        const auto start = std::chrono::steady_clock::now();
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(rig->alive(id));
        // The peer sends nothing and never closes: lingering gives up after about a second.
        CPPUNIT_ASSERT(eventually([&] { return !rig->alive(id); }, 5000));
        const auto took = std::chrono::steady_clock::now() - start;
        CPPUNIT_ASSERT(took >= std::chrono::milliseconds(900));
    }

    void peerHangUpIsNotHiddenByAShortRead() {
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        script->add(script->reads, {bytes("last words"), closed()});
        rig->event(id, EPOLLIN | EPOLLRDHUP);
        CPPUNIT_ASSERT_EQUAL(std::string("last words"), joined(inputs()));
        // Default onPeerClosed: close ours too (graceful: shutdown, then gone).
        CPPUNIT_ASSERT(contains(events(), "peerClosed"));
        CPPUNIT_ASSERT(!rig->alive(id));
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return script->shutdownCalls; }));
    }

    void aBusyPeerYieldsToTheLoop() {
        // A peer with a long supply of input must not hold the loop: one
        // event reads a bounded amount, posted nudges continue without
        // another event.
        const int supply = 2000;
        for (int i = 0; i < supply; ++i) script->add(script->reads, {filler(EventLoop::kReadBufferSize)});
        const int calls = rig->call([this] {
            auto* c = rig->set.create(std::make_unique<ScriptedTransport>(script), Peer{}, rig->limits);
            c->start(std::make_unique<RecordingSession>(record));
            return script->readCalls;
        });
        CPPUNIT_ASSERT(calls >= 1);
        CPPUNIT_ASSERT_MESSAGE("reads in one go: " + std::to_string(calls), calls <= 256);
        // All of it, then WantRead: 2000 buffers take a while under ThreadSanitizer.
        CPPUNIT_ASSERT(eventually([&] { return readCalls() == supply + 1; },
                                  rport::test::kUnderSanitizer ? 60000 : 5000));
        CPPUNIT_ASSERT_EQUAL(size_t(supply), inputs().size());
    }

    void deadlineFires() {
        std::unique_ptr<RecordingSession> s;
        session(s)->whenDeadline = [](Connection&) {};
        const uint64_t id = rig->open(script, std::move(s));
        const int64_t at = rig->call([this] {
            Connection* c = rig->set.find(1);
            const int64_t when = c->loop().now() + 30;
            c->setDeadline(when);
            return when;
        });
        CPPUNIT_ASSERT(eventually([&] { return rig->call([this] { return record->deadlines; }) == 1; }));
        CPPUNIT_ASSERT(rig->call([this] { return record->deadlineAt; }) >= at);
        CPPUNIT_ASSERT(rig->alive(id));  // this session just notes it
    }

    void deadlineMovedLaterDoesNotFireEarly() {
        std::unique_ptr<RecordingSession> s;
        session(s)->whenDeadline = [](Connection&) {};
        const uint64_t id = rig->open(script, std::move(s));
        const int64_t later = rig->call([this] {
            Connection* c = rig->set.find(1);
            c->setDeadline(c->loop().now() + 20);
            const int64_t when = c->loop().now() + 250;
            c->setDeadline(when);
            return when;
        });
        CPPUNIT_ASSERT(eventually([&] { return rig->call([this] { return record->deadlines; }) >= 1; }));
        CPPUNIT_ASSERT(rig->call([this] { return record->deadlineAt; }) >= later);
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return record->deadlines; }));
        // Clearing it: nothing more fires.
        rig->call([this] {
            Connection* c = rig->set.find(1);
            c->setDeadline(c->loop().now() + 20);
            c->setDeadline(0);
            return 0;
        });
        const int64_t quietUntil = rig->call([this] { return rig->loop.now() + 60; });
        CPPUNIT_ASSERT(eventually([&] { return rig->call([this] { return rig->loop.now(); }) > quietUntil; }));
        CPPUNIT_ASSERT_EQUAL(1, rig->call([this] { return record->deadlines; }));
        CPPUNIT_ASSERT(rig->alive(id));
    }

    void deadlineMovedEarlierFiresEarly() {
        std::unique_ptr<RecordingSession> s;
        session(s)->whenDeadline = [](Connection&) {};
        rig->open(script, std::move(s));
        const int64_t first = rig->call([this] {
            Connection* c = rig->set.find(1);
            const int64_t when = c->loop().now() + 60000;
            c->setDeadline(when);
            c->setDeadline(c->loop().now() + 20);
            return when;
        });
        CPPUNIT_ASSERT(eventually([&] { return rig->call([this] { return record->deadlines; }) == 1; }));
        CPPUNIT_ASSERT(rig->call([this] { return record->deadlineAt; }) < first);
    }

    void defaultDeadlineAborts() {
        script->writeDefault = wantWrite();
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) {
            c.send(std::string_view("never leaves"));
            c.setDeadline(c.loop().now() + 10);
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(eventually([&] { return !rig->alive(id); }));
        CPPUNIT_ASSERT_EQUAL(std::string("open deadline closed dtor"), joined(events()));
        CPPUNIT_ASSERT_EQUAL(0, rig->call([this] { return script->shutdownCalls; }));  // aborted, not closed
    }

    void writeStallDropsAPeerThatNeverDrains() {
        script->writeDefault = wantWrite();
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) {
            c.setWriteStallTimeout(50);
            c.send(std::string(100, 's'));
        };
        const auto start = std::chrono::steady_clock::now();
        const uint64_t id = rig->open(script, std::move(s));
        // Writability that still does not take a byte does not reset the clock.
        for (int i = 0; i < 3; ++i) rig->event(id, EPOLLOUT);
        CPPUNIT_ASSERT(eventually([&] { return !rig->alive(id); }, 3000));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(45));
        CPPUNIT_ASSERT(contains(events(), "closed"));
        noViolations();
    }

    void abortFromEveryCallbackIsSafe() {
        // Each case aborts (sometimes twice, sometimes after close) inside a
        // different callback; the connection must go exactly once. Run under
        // valgrind or ASan to see use-after-free.
        struct Case {
            const char* name;
            std::function<void(RecordingSession&)> arm;
            std::function<void(LoopRig&, uint64_t, Script&)> poke;
        };
        auto abortTwice = [](Connection& c) {
            c.abort();
            c.abort();
            c.send(std::string_view("too late"));
            c.close();
        };
        std::vector<Case> cases = {
            {"onOpen", [&](RecordingSession& s) { s.whenOpen = abortTwice; }, nullptr},
            {"onInput",
             [&](RecordingSession& s) {
                 s.whenInput = [abortTwice](Connection& c, std::string_view b) {
                     abortTwice(c);
                     c.pauseInput();
                     c.resumeInput();
                     return b.size();
                 };
             },
             [](LoopRig& r, uint64_t id, Script& sc) {
                 sc.add(sc.reads, {bytes("x"), bytes("y")});
                 r.event(id, EPOLLIN);
             }},
            {"onInput after replaceSession",
             [&](RecordingSession& s) {
                 auto rec = record;
                 s.whenInput = [rec](Connection& c, std::string_view) {
                     auto next = std::make_unique<RecordingSession>(rec, "next");
                     next->whenOpen = [](Connection& cc) { cc.abort(); };
                     c.replaceSession(std::move(next));
                     c.abort();
                     return size_t(1);
                 };
             },
             [](LoopRig& r, uint64_t id, Script& sc) {
                 sc.add(sc.reads, {bytes("xy")});
                 r.event(id, EPOLLIN);
             }},
            {"onPeerClosed", [&](RecordingSession& s) { s.whenPeerClosed = abortTwice; },
             [](LoopRig& r, uint64_t id, Script& sc) {
                 sc.add(sc.reads, {closed()});
                 r.event(id, EPOLLIN | EPOLLRDHUP);
             }},
            {"onOutputDrained",
             [&](RecordingSession& s) {
                 s.whenOpen = [](Connection& c) { c.send(std::string(400000, 'd')); };
                 s.whenDrained = abortTwice;
             },
             [](LoopRig& r, uint64_t id, Script& sc) {
                 sc.add(sc.writes, {done()});
                 r.event(id, EPOLLOUT);
             }},
            {"onDeadline",
             [&](RecordingSession& s) {
                 s.whenOpen = [](Connection& c) { c.setDeadline(c.loop().now() + 5); };
                 s.whenDeadline = abortTwice;
             },
             nullptr},
            {"onClosed", [&](RecordingSession& s) { s.whenClosed = abortTwice; },
             [](LoopRig& r, uint64_t id, Script&) { r.guarded(id, [](Connection& c) { c.abort(); }); }},
            {"posted work",
             [&](RecordingSession&) {},
             [](LoopRig& r, uint64_t id, Script&) {
                 r.call([&r, id] {
                     Connection* c = r.set.find(id);
                     ConnectionRef ref(*c);
                     ref.post([](Connection& cc) { cc.abort(); });
                     ref.post([](Connection& cc) { cc.send(std::string_view("never")); });
                     return 0;
                 });
             }},
        };
        for (Case& k : cases) {
            script = std::make_shared<Script>();
            record = std::make_shared<Record>();
            if (std::string(k.name) == "onOutputDrained") script->writeDefault = wantWrite();
            auto s = std::make_unique<RecordingSession>(record);
            k.arm(*s);
            const uint64_t id = rig->open(script, std::move(s));
            if (k.poke && rig->alive(id)) k.poke(*rig, id, *script);
            CPPUNIT_ASSERT_MESSAGE(k.name, eventually([&] { return !rig->alive(id); }, 3000));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(k.name, 1, rig->call([this] { return record->closed; }));
            CPPUNIT_ASSERT_MESSAGE(k.name, rig->call([this] { return script->destroyed; }));
            CPPUNIT_ASSERT_MESSAGE(k.name, written().find("too late") == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(k.name, written().find("never") == std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(size_t(0), rig->openCount.load());
    }

    void closeTimeoutEndsAStuckFlush() {
        rig->limits.closeTimeoutMillis = 50;
        script->writeDefault = wantWrite();
        std::unique_ptr<RecordingSession> s;
        session(s)->whenOpen = [](Connection& c) {
            c.send(std::string_view("stuck"));
            c.close();
        };
        const uint64_t id = rig->open(script, std::move(s));
        CPPUNIT_ASSERT(rig->alive(id));
        CPPUNIT_ASSERT(eventually([&] { return !rig->alive(id); }, 3000));
        CPPUNIT_ASSERT_EQUAL(0, rig->call([this] { return script->shutdownCalls; }));
    }

    void connectionRefToAClosedConnectionIsDropped() {
        std::unique_ptr<RecordingSession> s;
        session(s);
        const uint64_t id = rig->open(script, std::move(s));
        ConnectionRef ref = rig->call([this, id] { return ConnectionRef(*rig->set.find(id)); });
        CPPUNIT_ASSERT(ref.valid());
        std::atomic<int> ran{0};
        // From another thread, to a live connection: runs, and may send.
        std::thread([&] { ref.post([&](Connection& c) {
            ++ran;
            c.send(std::string_view("posted"));
        }); }).join();
        CPPUNIT_ASSERT(eventually([&] { return ran.load() == 1; }));
        CPPUNIT_ASSERT_EQUAL(std::string("posted"), written());
        rig->guarded(id, [](Connection& c) { c.abort(); });
        CPPUNIT_ASSERT(!rig->alive(id));
        // A new connection does not pick up posts meant for the old one.
        std::unique_ptr<RecordingSession> s2;
        session(s2);
        auto script2 = std::make_shared<Script>();
        const uint64_t id2 = rig->open(script2, std::move(s2));
        CPPUNIT_ASSERT(id2 != id);
        std::thread([&] { ref.post([&](Connection&) { ++ran; }); }).join();
        rig->call([] { return 0; });  // the post ran (or was dropped) before this
        rig->call([] { return 0; });
        CPPUNIT_ASSERT_EQUAL(1, ran.load());
        CPPUNIT_ASSERT_EQUAL(0, rig->call([&] { return script2->writeCalls; }));
        // A default ref names nothing.
        ConnectionRef none;
        CPPUNIT_ASSERT(!none.valid());
        none.post([&](Connection&) { ++ran; });
        CPPUNIT_ASSERT_EQUAL(1, ran.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionTest);
