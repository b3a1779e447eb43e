// Self-test of the ACME test infrastructure: a throwaway pebble CA on
// loopback (PebbleServer) and the real certbot driven against it (Certbot).
// Issues a certificate with certbot's standalone HTTP-01 server, forces a
// renewal (new serial, new key), and issues one through a webroot that this
// test serves itself on pebble's HTTP-01 port. Every certificate must chain
// to the root pebble reports. Skipped when pebble or certbot is missing.
#include <Poco/File.h>
#include <arpa/inet.h>
#include <cppunit/extensions/HelperMacros.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "Certbot.h"
#include "PebbleServer.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

// A minimal static file server on 127.0.0.1:port, one connection at a
// time, GET only, HTTP/1.0-style (Connection: close). Enough for the ACME
// validation authority to fetch /.well-known/acme-challenge/<token>.
class LoopbackFileServer {
public:
    LoopbackFileServer(std::string root, uint16_t port) : _root(std::move(root)) {
        _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        if (_fd < 0 || ::bind(_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(_fd, 16) != 0) {
            if (_fd >= 0) ::close(_fd);
            throw std::runtime_error("file server: cannot listen on 127.0.0.1:" +
                                     std::to_string(port));
        }
        _thread = std::thread([this] { loop(); });
    }
    ~LoopbackFileServer() {
        _stop = true;
        _thread.join();
        ::close(_fd);
    }
    // "STATUS PATH" of every request served so far.
    std::vector<std::string> requests() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _requests;
    }

private:
    void loop() {
        while (!_stop) {
            pollfd p{_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept4(_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            serve(c);
            ::close(c);
        }
    }

    void serve(int c) {
        timeval tv{5, 0};
        ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
            ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) return;
            head.append(buf, static_cast<size_t>(n));
        }
        std::string method = head.substr(0, head.find(' '));
        size_t start = method.size() + 1;
        std::string path = head.substr(start, head.find(' ', start) - start);
        path = path.substr(0, path.find('?'));
        int status = 200;
        std::string body;
        struct stat st {};
        const std::string file = _root + path;
        if (method != "GET" && method != "HEAD") {
            status = 405;
        } else if (path.empty() || path[0] != '/' || path.find("..") != std::string::npos ||
                   ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            status = 404;
        } else {
            body = readFile(file);
        }
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _requests.push_back(std::to_string(status) + " " + path);
        }
        std::string reply =
            "HTTP/1.1 " + std::to_string(status) +
            (status == 200   ? " OK"
             : status == 404 ? " Not Found"
                             : " Error") +
            "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n";
        if (method == "GET") reply += body;
        ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
    }

    std::string _root;
    int _fd = -1;
    std::atomic<bool> _stop{false};
    std::thread _thread;
    std::mutex _mutex;
    std::vector<std::string> _requests;
};

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

void report(const std::string& what, double seconds) {
    char line[128];
    std::snprintf(line, sizeof line, "\n  %-40s %6.2f s", what.c_str(), seconds);
    std::cout << line << std::flush;
}

bool prerequisitesMissing() {
    if (!PebbleServer::installed()) {
        skipTest("pebble: " + PebbleServer::missingReason());
        return true;
    }
    if (!Certbot::installed()) {
        skipTest("certbot not installed (apt-get install certbot, or scripts/install-deps.sh)");
        return true;
    }
    return false;
}

}  // namespace

class PebbleCertbotTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PebbleCertbotTest);
    CPPUNIT_TEST(standaloneIssueThenForcedRenewalGivesNewSerialAndKey);
    CPPUNIT_TEST(webrootIssueServedByTheTest);
    CPPUNIT_TEST(missingCertbotBinaryIsReportedNotHung);
    CPPUNIT_TEST_SUITE_END();

    TempDir scratch;

    std::string openssl(const std::vector<std::string>& args) {
        std::vector<std::string> argv{"openssl"};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessResult r = runProcess(argv, scratch.path(), {}, 30000);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 0, r.exitCode);
        return trim(r.output);
    }

    // cert (leaf) chains to pebble's root through chain.pem, for name.
    void assertVerifies(const PebbleServer& pebble, const Certbot& certbot,
                        const std::string& name) {
        std::string out =
            openssl({"verify", "-CAfile", pebble.rootPath(), "-untrusted", certbot.chainPath(name),
                     "-purpose", "sslserver", "-verify_hostname", name, certbot.certPath(name)});
        CPPUNIT_ASSERT_EQUAL(certbot.certPath(name) + ": OK", out);
        // fullchain = leaf + intermediate.
        std::string fullchain = readFile(certbot.fullchainPath(name));
        size_t count = 0;
        for (size_t p = fullchain.find("BEGIN CERTIFICATE"); p != std::string::npos;
             p = fullchain.find("BEGIN CERTIFICATE", p + 1))
            ++count;
        CPPUNIT_ASSERT_EQUAL(size_t(2), count);
    }

    std::string serial(const std::string& cert) {
        return openssl({"x509", "-noout", "-serial", "-in", cert});
    }

public:
    void standaloneIssueThenForcedRenewalGivesNewSerialAndKey() {
        if (prerequisitesMissing()) return;
        PebbleServer pebble;
        report("pebble start", pebble.startSeconds());
        Certbot certbot(pebble);
        const std::string name = "rport.test";

        CertbotResult issued = certbot.certonlyStandalone(name, pebble.httpPort());
        report("certbot certonly --standalone", issued.seconds);
        CPPUNIT_ASSERT_MESSAGE(issued.describe() + pebble.log(), issued.ok());
        for (const std::string& f :
             {certbot.certPath(name), certbot.chainPath(name), certbot.fullchainPath(name),
              certbot.privkeyPath(name), certbot.renewalConfPath(name)})
            CPPUNIT_ASSERT_MESSAGE(f, Poco::File(f).exists());
        assertVerifies(pebble, certbot, name);
        // certbot's default key: ECDSA P-256.
        CPPUNIT_ASSERT(openssl({"pkey", "-in", certbot.privkeyPath(name), "-noout", "-text"})
                           .find("prime256v1") != std::string::npos);
        const std::string serial1 = serial(certbot.certPath(name));
        const std::string key1 = readFile(certbot.privkeyPath(name));
        CPPUNIT_ASSERT(readFile(certbot.renewalConfPath(name)).find("authenticator = standalone") !=
                       std::string::npos);

        CertbotResult renewed = certbot.renew(name);
        report("certbot renew --force-renewal", renewed.seconds);
        CPPUNIT_ASSERT_MESSAGE(renewed.describe() + pebble.log(), renewed.ok());
        CPPUNIT_ASSERT(Poco::File(certbot.archiveDir(name) + "/cert2.pem").exists());
        CPPUNIT_ASSERT(Poco::File(certbot.archiveDir(name) + "/privkey2.pem").exists());
        char target[4096] = {};
        ssize_t n = ::readlink(certbot.certPath(name).c_str(), target, sizeof target - 1);
        CPPUNIT_ASSERT(n > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("../../archive/rport.test/cert2.pem"),
                             std::string(target));
        assertVerifies(pebble, certbot, name);
        const std::string serial2 = serial(certbot.certPath(name));
        CPPUNIT_ASSERT_MESSAGE(serial1 + " vs " + serial2, serial1 != serial2);
        CPPUNIT_ASSERT(key1 != readFile(certbot.privkeyPath(name)));

        pebble.stop();
        CPPUNIT_ASSERT(!pebble.running());
        CPPUNIT_ASSERT(!tcpPortOpen(pebble.acmePort()));
    }

    void webrootIssueServedByTheTest() {
        if (prerequisitesMissing()) return;
        PebbleServer pebble;
        report("pebble start", pebble.startSeconds());
        Certbot certbot(pebble);
        const std::string name = "web.rport.test";
        const std::string webroot = scratch.file("webroot");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(webroot.c_str(), 0755));

        std::vector<std::string> requests;
        {
            LoopbackFileServer files(webroot, pebble.httpPort());
            CertbotResult issued = certbot.certonlyWebroot(name, webroot);
            report("certbot certonly --webroot", issued.seconds);
            CPPUNIT_ASSERT_MESSAGE(issued.describe() + pebble.log(), issued.ok());
            requests = files.requests();
        }
        // The validation authority fetched the token from our server.
        bool fetched = false;
        for (const auto& r : requests)
            fetched = fetched || r.rfind("200 /.well-known/acme-challenge/", 0) == 0;
        std::string seen;
        for (const auto& r : requests) seen += r + "; ";
        CPPUNIT_ASSERT_MESSAGE(seen, fetched);
        assertVerifies(pebble, certbot, name);
        CPPUNIT_ASSERT(readFile(certbot.renewalConfPath(name)).find("authenticator = webroot") !=
                       std::string::npos);
        // The port is released once the server object is gone.
        CPPUNIT_ASSERT(!tcpPortOpen(pebble.httpPort()));
    }

    // A missing tool gives exit code 127 quickly instead of an exception or a hang.
    void missingCertbotBinaryIsReportedNotHung() {
        ProcessResult r =
            runProcess({"/nonexistent/certbot", "--version"}, scratch.path(), {}, 5000);
        CPPUNIT_ASSERT_EQUAL(127, r.exitCode);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PebbleCertbotTest);
