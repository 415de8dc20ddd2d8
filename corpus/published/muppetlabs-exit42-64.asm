; The 64-byte exit(42) of Brian Raiter's teensy tutorial, as netspooky transcribed it for his talk
; "Binary Golf" (Dartmouth College, 2025-10-23; github.com/netspooky/golfclub,
; bingolf-dartmouth/src/muppetlabs.64.asm). golf's own reading of the bytes.
;
; The program header starts at offset 32 (e_shoff): p_vaddr is e_ehsize and e_phentsize, so
; e_phentsize reads 0x0804. Kernels before 2.2.17 ignored e_phentsize; today's compat loader
; requires 32 and refuses the file with ENOEXEC.
BITS 32
org 0x8048000
        db      0x7f, "ELF", 1, 1, 1, 0, 0      ; magic, ELFCLASS32, little-endian, version 1
entry:                                          ; e_ident[9..15]
        mov     bl, 42
        xor     eax, eax
        inc     eax                             ; exit(42)
        int     0x80
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386
        dd      1, entry, 32                    ; e_version, e_entry, e_phoff 32
        dd      1                               ; e_shoff                      = p_type PT_LOAD
        dd      0                               ; e_flags                      = p_offset
        dd      0x8048000                       ; e_ehsize, e_phentsize 0x0804 = p_vaddr
        dw      1, 0                            ; e_phnum 1, e_shentsize       = p_paddr
        dd      64                              ; e_shnum, e_shstrndx          = p_filesz
        dd      64, 5, 0x1000                   ; p_memsz, p_flags R+X, p_align
