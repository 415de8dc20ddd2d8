; The 45-byte exit(42) of Brian Raiter's teensy tutorial, as netspooky transcribed it for his talk
; "Binary Golf" (Dartmouth College, 2025-10-23; github.com/netspooky/golfclub,
; bingolf-dartmouth/src/muppetlabs.45.asm, "smallest known ELF32"). golf's own reading of the bytes.
;
; The 52-byte layout cut after the low byte of e_phnum: e_phentsize still reads 0x80cd, so
; today's compat loader refuses it with ENOEXEC. (The tutorial's final listing, which runs on
; today's kernels, is raiter-tiny-exit42-45: its code sits at e_shoff, before e_phentsize.)
BITS 32
org 0x1000
        db      0x7f, "ELF"                     ; magic
        dd      1, 0, 0x1000                    ; e_ident[4..15] = p_type PT_LOAD, p_offset, p_vaddr
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386 = p_paddr
        dd      45                              ; e_version    = p_filesz
        dd      entry                           ; e_entry      = p_memsz
        dd      4                               ; e_phoff 4    = p_flags PF_R
        dd      0                               ; e_shoff      = p_align
        db      0                               ; e_flags, first byte
entry:
        mov     bl, 42
        xor     eax, eax
        inc     eax                             ; e_ehsize high = 0x40
        int     0x80                            ; e_phentsize = 0x80cd
        db      1                               ; e_phnum low; the file ends here
