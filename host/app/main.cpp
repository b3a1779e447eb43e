// rportd: the RPort server.
#include "app/RportdApp.h"
#include "app/SignalWaiter.h"

int main(int argc, char** argv) {
    // Before any thread exists, so every thread inherits the blocked set.
    rportd::app::blockServerSignals();
    return rportd::app::RportdApp::main(argc, argv);
}
