; Brian Raiter's 45-byte true/false (ELFkickers 1.0 to 2.0a, tiny/true; described on
; http://www.muppetlabs.com/~breadbox/software/tiny/useless.html): exits 0 when run under a name
; whose fourth-to-last character is even ("true"), 1 when it is odd ("false"). golf's own reading
; of the published binary's bytes.
;
; The program header starts at offset 4; p_filesz (0x02ebffb5) and p_memsz (0x255f000e) are
; whatever the code there says, so the segment is mostly pages past the end of the file, then
; 550 MiB of bss whose start lies in such a page: zeroing it fails, which kernels since 6.7 ignore
; for a read-only segment and kernels up to 6.6 answer by killing the exec.
BITS 32
org 0x255f0000
        db      0x7f, "ELF"
        dd      1, 0                    ; p_type PT_LOAD, p_offset
        dw      0                       ; p_vaddr low half
entry:                                  ; 0x255f000e: p_vaddr's high half is code
        pop     edi                     ; argc
        db      0x25                    ; and eax, 0x00030002: its immediate is
        dw      2, 3                    ;   e_type ET_EXEC and e_machine i386 (= p_paddr)
        mov     ch, 0xff                ; e_version = p_filesz, with the jump: ecx >= 0xff00
        jmp     short skip
        dw      0x000e                  ; e_entry low half (= p_memsz)
skip:
        pop     edi                     ; argv[0]; these two bytes are e_entry's high half 0x255f
        db      0x25                    ; and eax, 4: eax = 0; the immediate is e_phoff 4 (= p_flags PF_R)
        dd      4
        repne scasb                     ; e_shoff (= p_align): find the end of argv[0]
        inc     eax                     ; eax = 1: exit
        mov     bl, [edi - 5]           ; e_flags: argv[0]'s fourth-to-last character
        and     bl, al                  ; its low bit is the status
        int     0x80                    ; e_ehsize
        dw      0x20                    ; e_phentsize 32
        db      1                       ; e_phnum low; the file ends here
