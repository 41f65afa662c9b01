/* Wine 8 lacks bcryptprimitives.dll, from which Rust's std imports ProcessPrng: every Rust exe
 * exits at start-up. This stand-in, for test prefixes only, implements it with advapi32's
 * RtlGenRandom (SystemFunction036), which Wine has. Never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
