// Which generation a handshake gets: SNI selection, defaults, atomic swaps
// that leave running connections alone.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "tls/CertificateStore.h"

using namespace rport::test::tls;
using namespace rportd::tls;

namespace {

std::shared_ptr<const ServedCertificate> loadInto(const CertificateStore& store, const IssuedCertificate& issued) {
    ServedCertificate::LoadResult loaded = store.load(issued.certificatePem, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    return loaded.certificate;
}

// The serial the client saw after a handshake asking for `sniName`.
std::string servedSerial(const CertificateStore& store, const std::string& sniName) {
    ClientOptions options;
    options.serverName = sniName;
    TlsPair pair = connectPair(store, options);
    handshakeOrFail(pair);
    CPPUNIT_ASSERT_EQUAL(sniName, pair.server->sniName());
    return pair.client->peerSerialHex();
}

std::string serialOf(const std::shared_ptr<const ServedCertificate>& served) {
    return served ? served->info().serialHex : "(none)";
}

bool markedFreed = false;
void markFreed(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
    if (ptr == &markedFreed) markedFreed = true;
}

}  // namespace

class CertificateStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertificateStoreTest);
    CPPUNIT_TEST(selectsNothingWhenEmpty);
    CPPUNIT_TEST(selectsExactBeforeWildcardBeforeDefault);
    CPPUNIT_TEST(defaultSourceCanBeChosen);
    CPPUNIT_TEST(snapshotListsSourcesInOrder);
    CPPUNIT_TEST(handshakesServeTheCertificateForTheSniName);
    CPPUNIT_TEST(swapReachesNewHandshakesWhileOpenConnectionsKeepWorking);
    CPPUNIT_TEST(sslSetSslCtxKeepsTheContextAlive);
    CPPUNIT_TEST(swapsAndLookupsRaceSafely);
    CPPUNIT_TEST_SUITE_END();

public:
    void selectsNothingWhenEmpty() {
        CertificateStore store;
        CPPUNIT_ASSERT(store.select("") == nullptr);
        CPPUNIT_ASSERT(store.select("api.example.com") == nullptr);
        CPPUNIT_ASSERT(store.snapshot().empty());
    }

    void selectsExactBeforeWildcardBeforeDefault() {
        CertificateStore store;
        CertificateSpec exactSpec;
        exactSpec.commonName = "a.tunnels.example.com";
        exactSpec.dnsNames = {"a.tunnels.example.com"};
        exactSpec.serial = 0x7001;
        IssuedCertificate exact = issueCertificate(exactSpec);

        store.setCertificate("api", loadInto(store, testKit().ecdsa));
        store.setCertificate("tunnels", loadInto(store, testKit().wildcard));  // before the exact one
        store.setCertificate("special", loadInto(store, exact));

        CPPUNIT_ASSERT_EQUAL(std::string("7001"), serialOf(store.select("a.tunnels.example.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("7001"), serialOf(store.select("A.TUNNELS.example.com.")));
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), serialOf(store.select("b.tunnels.example.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("x.b.tunnels.example.com")));  // default
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("api.example.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("127.0.0.1")));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("")));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("unknown.example.org")));
    }

    void defaultSourceCanBeChosen() {
        CertificateStore store;
        store.setDefaultSource("tunnels");  // chosen before it has a certificate
        store.setCertificate("api", loadInto(store, testKit().ecdsa));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("")));  // falls back to the first
        store.setCertificate("tunnels", loadInto(store, testKit().wildcard));
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), serialOf(store.select("")));
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), serialOf(store.select("nobody.example.org")));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("api.example.com")));
        store.removeSource("tunnels");
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), serialOf(store.select("")));
    }

    void snapshotListsSourcesInOrder() {
        CertificateStore store;
        store.setCertificate("api", loadInto(store, testKit().ecdsa));
        store.setCertificate("tunnels", loadInto(store, testKit().wildcard));
        store.setCertificate("api", loadInto(store, testKit().ecdsaRenewed));
        std::vector<CertificateStore::Entry> entries = store.snapshot();
        CPPUNIT_ASSERT_EQUAL(size_t(2), entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("api"), entries[0].source);
        CPPUNIT_ASSERT_EQUAL(std::string("1002"), serialOf(entries[0].certificate));
        CPPUNIT_ASSERT_EQUAL(std::string("tunnels"), entries[1].source);
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), serialOf(entries[1].certificate));
    }

    void handshakesServeTheCertificateForTheSniName() {
        CertificateStore store;
        store.setCertificate("api", loadInto(store, testKit().ecdsa));
        store.setCertificate("tunnels", loadInto(store, testKit().wildcard));
        store.setCertificate("rsa", loadInto(store, testKit().rsa));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), servedSerial(store, "api.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), servedSerial(store, "vnc-17.tunnels.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("2001"), servedSerial(store, "rsa.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), servedSerial(store, "unknown.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), servedSerial(store, ""));  // no SNI at all
        store.setDefaultSource("tunnels");
        CPPUNIT_ASSERT_EQUAL(std::string("4001"), servedSerial(store, ""));
        // Also over TLS 1.2, where the certificate goes out in a different flight.
        ClientOptions options;
        options.maxVersion = TLS1_2_VERSION;
        options.serverName = "rsa.example.com";
        TlsPair pair = connectPair(store, options);
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(std::string("2001"), pair.client->peerSerialHex());
    }

    void swapReachesNewHandshakesWhileOpenConnectionsKeepWorking() {
        CertificateStore store;
        std::weak_ptr<const ServedCertificate> first;
        {
            auto served = loadInto(store, testKit().ecdsa);
            first = served;
            store.setCertificate("api", served);
        }
        TlsPair open = connectPair(store, ClientOptions());
        handshakeOrFail(open);
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), open.client->peerSerialHex());

        store.setCertificate("api", loadInto(store, testKit().ecdsaRenewed));
        // Nobody holds the first generation any more; only OpenSSL's
        // reference from the open connection keeps its SSL_CTX.
        CPPUNIT_ASSERT(first.expired());

        TlsPair fresh = connectPair(store, ClientOptions());
        handshakeOrFail(fresh);
        CPPUNIT_ASSERT_EQUAL(std::string("1002"), fresh.client->peerSerialHex());

        echoOnce(open, "still here after the swap");
        echoOnce(fresh, "and the new one works");
    }

    void sslSetSslCtxKeepsTheContextAlive() {
        // What the swap above relies on, checked directly on this OpenSSL.
        static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, markFreed);
        CertificateStore store;
        SSL_CTX* generation = SSL_CTX_new(TLS_server_method());
        SSL_CTX_set_ex_data(generation, index, &markedFreed);
        markedFreed = false;
        SSL* ssl = SSL_new(store.baseContext());
        CPPUNIT_ASSERT(SSL_set_SSL_CTX(ssl, generation) == generation);
        SSL_CTX_free(generation);
        CPPUNIT_ASSERT(!markedFreed);
        CPPUNIT_ASSERT(SSL_get_SSL_CTX(ssl) == generation);
        SSL_free(ssl);
        CPPUNIT_ASSERT(markedFreed);
    }

    void swapsAndLookupsRaceSafely() {
        CertificateStore store;
        auto one = loadInto(store, testKit().ecdsa);
        auto two = loadInto(store, testKit().ecdsaRenewed);
        store.setCertificate("api", one);
        std::atomic<bool> stop{false};
        std::atomic<int> missing{0};
        std::thread reader([&] {
            while (!stop.load()) {
                auto chosen = store.select("api.example.com");
                if (!chosen || (chosen != one && chosen != two)) missing.fetch_add(1);
            }
        });
        for (int i = 0; i < 2000; ++i) store.setCertificate("api", i % 2 == 0 ? two : one);
        stop.store(true);
        reader.join();
        CPPUNIT_ASSERT_EQUAL(0, missing.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertificateStoreTest);
