// Placeholder so the os layer library exists before its first module lands.
namespace mlppp {}
