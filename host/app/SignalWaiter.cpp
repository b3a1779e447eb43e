#include "app/SignalWaiter.h"

#include <signal.h>

#include <cerrno>

namespace rportd::app {

namespace {
sigset_t serverSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGHUP);
    return set;
}
}  // namespace

void blockServerSignals() {
    sigset_t set = serverSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that disconnects mid-answer must fail a write, not end us.
    signal(SIGPIPE, SIG_IGN);
}

ServerSignal waitForServerSignal() {
    sigset_t set = serverSignals();
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    return sig == SIGHUP ? ServerSignal::Reload : ServerSignal::Terminate;
}

}  // namespace rportd::app
