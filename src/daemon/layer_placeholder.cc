// Placeholder so the daemon layer library exists before its first module lands.
namespace mlppp {}
